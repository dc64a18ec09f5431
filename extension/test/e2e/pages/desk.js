/*
 * The helpdesk around each editor page: renders the open conversation the way a single-page
 * helpdesk's scripts do, and imitates "send": the reply box's content, read through the editor's
 * own API, becomes the operator's message in the thread and the box is cleared. Nothing else
 * sends; `desk.sent` lists what went out, so a test can tell that inserting sent nothing.
 * People and orders are fictional.
 */
(() => {
  const conversation = [
    { side: 'in', time: '10:02', text: 'Здравствуйте! Заказала серьги, номер заказа 31047589.' },
    { side: 'out', time: '10:04', text: 'Здравствуйте! Сейчас посмотрю, одну минуту.' },
    {
      side: 'in',
      time: '10:06',
      text: 'Заказ так и не доставили, курьер не приехал. Где мой заказ?',
    },
  ];

  function row(side, time, fill) {
    const message = document.createElement('div');
    message.className = `msg msg--${side}`;
    const body = document.createElement('div');
    body.className = 'msg-text';
    fill(body);
    const stamp = document.createElement('span');
    stamp.className = 'msg-time';
    stamp.textContent = time;
    message.append(body, stamp);
    return message;
  }

  const history = document.querySelector('.chat-history');
  for (const message of conversation) {
    history.append(
      row(message.side, message.time, (body) => {
        body.textContent = message.text;
      }),
    );
  }

  const desk = {
    sent: [],
    editor: undefined,
    /** The page's editor: { html(): string, text(): string, clear(): void }. */
    connect(editor) {
      desk.editor = editor;
      document.body.setAttribute('data-editor-ready', 'true');
    },
    send() {
      if (!desk.editor) return;
      const html = desk.editor.html();
      desk.sent.push(desk.editor.text());
      // A helpdesk renders the sent HTML; this page is served locally to tests only.
      history.append(
        row('out', '10:09', (body) => {
          body.innerHTML = html;
        }),
      );
      desk.editor.clear();
    },
  };
  window.desk = desk;
  document.querySelector('form.reply').addEventListener('submit', (event) => {
    event.preventDefault();
    desk.send();
  });
})();
