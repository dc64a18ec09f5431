import { type FormEvent, useEffect, useState } from 'react';
import { isBuiltIn, normalizeOrigin, originPattern } from '../background/site-access.ts';
import { CLIENT_ERROR_CODES, type Result, type ServiceStatus } from '../messaging.ts';
import type { Settings } from '../settings.ts';

/** What the first-run page needs from the browser (injected, so the page is testable without one). */
export interface WelcomeDependencies {
  load(): Promise<Settings>;
  save(changes: Partial<Settings>): Promise<Settings>;
  /** Asks the browser for host access to an origin pattern (needs the click's user gesture). */
  requestAccess(pattern: string): Promise<boolean>;
  /** The service's status through the worker, with the settings just saved. */
  checkService(): Promise<Result<ServiceStatus>>;
}

export type ServiceVerdict =
  | { kind: 'ok'; version?: string }
  | { kind: 'starting' }
  | { kind: 'not-running' }
  | { kind: 'wrong-url' }
  | { kind: 'token-refused' }
  | { kind: 'invalid-url' }
  | { kind: 'failed'; message: string };

/** Says what is wrong with the service from a status call's result. */
export function verdictOf(result: Result<ServiceStatus>): ServiceVerdict {
  if (result.ok) {
    if (!result.data.reachable) return { kind: 'not-running' };
    if (!result.data.ready) return { kind: 'starting' };
    return { kind: 'ok', version: result.data.version };
  }
  switch (result.error.code) {
    case CLIENT_ERROR_CODES.unauthorized:
      return { kind: 'token-refused' };
    case CLIENT_ERROR_CODES.unreachable:
      return { kind: 'not-running' };
    // Something answers at that address, but not as the assist service does.
    case CLIENT_ERROR_CODES.badResponse:
    case 'not-found':
      return { kind: 'wrong-url' };
    case CLIENT_ERROR_CODES.notConfigured:
      return { kind: 'invalid-url' };
    default:
      return { kind: 'failed', message: result.error.message };
  }
}

const TEXT = {
  title: 'Напарник установлен',
  intro: 'Три шага — и подсказки появятся рядом с перепиской в вашем хелпдеске.',
  serviceStep: '1. Сервис подсказок',
  serviceUrl: 'Адрес сервиса',
  token: 'Токен доступа (его печатает сервис при первом запуске или выдаёт администратор)',
  check: 'Проверить',
  checking: 'Проверяю…',
  verdict: {
    ok: (version?: string) => `Сервис отвечает${version ? ` (версия ${version})` : ''}. Всё готово.`,
    starting: 'Сервис запущен и открывает базу знаний — проверьте ещё раз через минуту.',
    'not-running': (url: string) =>
      `По адресу ${url} никто не отвечает: сервис не запущен или адрес неверный. Запустите его командой «pnpm start» или уточните адрес у администратора.`,
    'wrong-url': (url: string) =>
      `По адресу ${url} отвечает что-то другое, не сервис Напарника. Проверьте адрес (обычно он заканчивается портом, например :8787).`,
    'token-refused':
      'Сервис отказал в доступе: токен неверный или не указан. Токен администратора сервис печатает при запуске (и хранит в файле admin-token в папке данных); токен оператора выдаёт администратор.',
    'invalid-url': 'Это не адрес: укажите его целиком, например http://127.0.0.1:8787.',
    failed: (message: string) => `Проверка не удалась: ${message}`,
  },
  siteStep: '2. Ваш хелпдеск',
  siteHint:
    'Откройте в браузере хелпдеск и вставьте сюда его адрес: браузер спросит разрешение, и на этом сайте появится панель. localhost и 127.0.0.1 разрешены заранее.',
  site: 'Адрес хелпдеска',
  allow: 'Разрешить на этом сайте',
  allowed: (origin: string) => `Готово: Напарник работает на ${origin}. Обновите вкладку хелпдеска.`,
  denied: 'Браузер не дал доступ к сайту.',
  invalidSite: 'Это не адрес сайта.',
  demoStep: '3. Попробовать',
  demo: 'Открыть демо-стол',
  demoHint: 'Демо-стол показывает панель на готовом диалоге — без настройки хелпдеска.',
};

/**
 * The first-run page: checks the service and says exactly what is wrong (not running, wrong
 * address, token refused), asks for the helpdesk's origin permission, and links to the demo desk.
 */
export function WelcomePage({ dependencies }: { dependencies: WelcomeDependencies }) {
  const [settings, setSettings] = useState<Settings>();
  const [verdict, setVerdict] = useState<ServiceVerdict | 'checking'>();
  const [site, setSite] = useState('');
  const [siteMessage, setSiteMessage] = useState('');

  useEffect(() => {
    void dependencies.load().then(setSettings);
  }, [dependencies]);
  if (!settings) return null;

  const check = async (event?: FormEvent) => {
    event?.preventDefault();
    setVerdict('checking');
    try {
      new URL(settings.serviceUrl);
    } catch {
      setVerdict({ kind: 'invalid-url' });
      return;
    }
    const saved = await dependencies.save({ serviceUrl: settings.serviceUrl.trim(), token: settings.token });
    setSettings(saved);
    setVerdict(verdictOf(await dependencies.checkService()));
  };

  const allow = async () => {
    const origin = normalizeOrigin(site);
    if (!origin) {
      setSiteMessage(TEXT.invalidSite);
      return;
    }
    // Local addresses need no prompt (the manifest covers them) but are enabled port by port. Else
    // the request goes out before anything is awaited: the click is the gesture the prompt needs.
    const granted = isBuiltIn(origin) || (await dependencies.requestAccess(originPattern(origin)));
    if (!granted) {
      setSiteMessage(TEXT.denied);
      return;
    }
    const origins = settings.enabledOrigins.includes(origin)
      ? settings.enabledOrigins
      : [...settings.enabledOrigins, origin];
    setSettings(await dependencies.save({ enabledOrigins: origins }));
    setSiteMessage(TEXT.allowed(origin));
  };

  const url = settings.serviceUrl.trim();
  const demoUrl = `${url.replace(/\/+$/, '')}/demo-desk/`;
  const shown =
    verdict === 'checking'
      ? TEXT.checking
      : verdict === undefined
        ? ''
        : verdict.kind === 'ok'
          ? TEXT.verdict.ok(verdict.version)
          : verdict.kind === 'not-running' || verdict.kind === 'wrong-url'
            ? TEXT.verdict[verdict.kind](url)
            : verdict.kind === 'failed'
              ? TEXT.verdict.failed(verdict.message)
              : TEXT.verdict[verdict.kind];

  return (
    <main className="welcome">
      <h1>{TEXT.title}</h1>
      <p>{TEXT.intro}</p>
      <section aria-labelledby="welcome-service">
        <h2 id="welcome-service">{TEXT.serviceStep}</h2>
        <form onSubmit={(event) => void check(event)}>
          <label>
            {TEXT.serviceUrl}
            <input
              value={settings.serviceUrl}
              onChange={(event) => setSettings({ ...settings, serviceUrl: event.target.value })}
            />
          </label>
          <label>
            {TEXT.token}
            <input
              type="password"
              value={settings.token}
              onChange={(event) => setSettings({ ...settings, token: event.target.value })}
            />
          </label>
          <button type="submit">{TEXT.check}</button>
        </form>
        {shown ? (
          <p
            role={verdict !== 'checking' && verdict?.kind !== 'ok' ? 'alert' : 'status'}
            className={`welcome-verdict ${verdict === 'checking' ? '' : (verdict?.kind ?? '')}`}
          >
            {shown}
          </p>
        ) : null}
      </section>
      <section aria-labelledby="welcome-site">
        <h2 id="welcome-site">{TEXT.siteStep}</h2>
        <p>{TEXT.siteHint}</p>
        <label>
          {TEXT.site}
          <input
            value={site}
            placeholder="https://support.example.ru"
            onChange={(event) => setSite(event.target.value)}
          />
        </label>
        <button type="button" onClick={() => void allow()}>
          {TEXT.allow}
        </button>
        {siteMessage ? <p role="status">{siteMessage}</p> : null}
      </section>
      <section aria-labelledby="welcome-demo">
        <h2 id="welcome-demo">{TEXT.demoStep}</h2>
        <p>{TEXT.demoHint}</p>
        <a href={demoUrl} target="_blank" rel="noreferrer">
          {TEXT.demo}
        </a>
      </section>
    </main>
  );
}
