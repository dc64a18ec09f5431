import { type FormEvent, useEffect, useState } from 'react';
import { isBuiltIn, normalizeOrigin, originPattern } from '../background/site-access.ts';
import type { Result, ServiceStatus } from '../messaging.ts';
import { LOCALES, type Settings } from '../settings.ts';
import type { RecipeClient } from '../teach/recipe-client.ts';
import { RecipesSection } from '../teach/recipes-section.tsx';

export interface OptionsDependencies {
  load(): Promise<Settings>;
  save(changes: Partial<Settings>): Promise<Settings>;
  /** Asks the browser for host access to an origin pattern (needs the click's user gesture). */
  requestAccess(pattern: string): Promise<boolean>;
  revokeAccess(pattern: string): Promise<void>;
  checkService(): Promise<Result<ServiceStatus>>;
  /** The operator's page recipes ("Teach this page"); the section is hidden without it. */
  recipes?: RecipeClient;
}

const TEXT = {
  ru: {
    heading: 'Настройки Напарника',
    serviceUrl: 'Адрес сервиса',
    token: 'Токен доступа',
    collection: 'База знаний (коллекция)',
    locale: 'Язык интерфейса',
    operatorId: 'Ваш идентификатор оператора',
    save: 'Сохранить',
    saved: 'Сохранено',
    check: 'Проверить связь',
    ok: (version: string) => `Сервис отвечает (версия ${version})`,
    down: 'Сервис не отвечает',
    sites: 'Сайты хелпдеска',
    sitesHint: 'Напарник работает на localhost и 127.0.0.1 и на сайтах из этого списка.',
    add: 'Добавить сайт',
    remove: 'Убрать',
    invalid: 'Это не адрес сайта',
    denied: 'Браузер не дал доступ к сайту',
  },
  en: {
    heading: 'Naparnik options',
    serviceUrl: 'Service URL',
    token: 'Access token',
    collection: 'Knowledge base (collection)',
    locale: 'Interface language',
    operatorId: 'Your operator id',
    save: 'Save',
    saved: 'Saved',
    check: 'Check connection',
    ok: (version: string) => `The service answers (version ${version})`,
    down: 'The service does not answer',
    sites: 'Helpdesk sites',
    sitesHint: 'Naparnik runs on localhost, 127.0.0.1 and the sites listed here.',
    add: 'Add site',
    remove: 'Remove',
    invalid: 'Not a site address',
    denied: 'The browser did not grant access',
  },
};

export function OptionsForm({ dependencies }: { dependencies: OptionsDependencies }) {
  const [settings, setSettings] = useState<Settings>();
  const [message, setMessage] = useState('');
  const [site, setSite] = useState('');

  useEffect(() => {
    void dependencies.load().then(setSettings);
  }, [dependencies]);
  if (!settings) return null;
  const text = TEXT[settings.locale];

  const field = (key: 'serviceUrl' | 'token' | 'collection' | 'operatorId', label: string, type = 'text') => (
    <label>
      {label}
      <input
        type={type}
        value={settings[key]}
        onChange={(event) => setSettings({ ...settings, [key]: event.target.value })}
      />
    </label>
  );

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSettings(await dependencies.save(settings));
    setMessage(text.saved);
  };

  const addSite = async () => {
    const origin = normalizeOrigin(site);
    if (!origin) {
      setMessage(text.invalid);
      return;
    }
    if (!isBuiltIn(origin) && !(await dependencies.requestAccess(originPattern(origin)))) {
      setMessage(text.denied);
      return;
    }
    const enabledOrigins = [...new Set([...settings.enabledOrigins, origin])];
    setSettings(await dependencies.save({ enabledOrigins }));
    setSite('');
  };

  const removeSite = async (origin: string) => {
    await dependencies.revokeAccess(originPattern(origin)).catch(() => undefined);
    setSettings(
      await dependencies.save({
        enabledOrigins: settings.enabledOrigins.filter((entry) => entry !== origin),
      }),
    );
  };

  const check = async () => {
    const result = await dependencies.checkService();
    setMessage(result.ok && result.data.reachable ? text.ok(result.data.version ?? '?') : text.down);
  };

  return (
    <form className="options" onSubmit={(event) => void save(event)}>
      <h1>{text.heading}</h1>
      {field('serviceUrl', text.serviceUrl, 'url')}
      {field('token', text.token, 'password')}
      {field('collection', text.collection)}
      {field('operatorId', text.operatorId)}
      <label>
        {text.locale}
        <select
          value={settings.locale}
          onChange={(event) => setSettings({ ...settings, locale: event.target.value as Settings['locale'] })}
        >
          {LOCALES.map((locale) => (
            <option key={locale} value={locale}>
              {locale === 'ru' ? 'Русский' : 'English'}
            </option>
          ))}
        </select>
      </label>
      <div className="buttons">
        <button type="submit">{text.save}</button>
        <button type="button" onClick={() => void check()}>
          {text.check}
        </button>
      </div>
      <h2>{text.sites}</h2>
      <p>{text.sitesHint}</p>
      <ul>
        {settings.enabledOrigins.map((origin) => (
          <li key={origin}>
            {origin}{' '}
            <button type="button" onClick={() => void removeSite(origin)}>
              {text.remove}
            </button>
          </li>
        ))}
      </ul>
      <div className="buttons">
        <input
          type="text"
          value={site}
          placeholder="https://desk.example.ru"
          aria-label={text.add}
          onChange={(event) => setSite(event.target.value)}
        />
        <button type="button" onClick={() => void addSite()}>
          {text.add}
        </button>
      </div>
      {dependencies.recipes ? (
        <RecipesSection client={dependencies.recipes} locale={settings.locale} />
      ) : null}
      {message ? <p role="status">{message}</p> : null}
    </form>
  );
}
