import type { SessionResponse } from '@naparnik/assist-service/contract';
import { type FormEvent, useState } from 'react';
import { ApiError, signIn } from './api.ts';
import { useI18n } from './i18n.ts';
import { Field } from './pages/field.tsx';

/**
 * The console's one way in: a token (the service prints the first one at start; an admin makes
 * more with `pnpm naparnik tokens create`), exchanged for a session cookie.
 */
export function SignIn({ onSignedIn }: { onSignedIn: (session: SessionResponse) => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const token = String(new FormData(event.currentTarget).get('token') ?? '').trim();
    if (!token) return;
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await signIn(token));
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.status === 401 ? t('signIn.refused') : t('common.error'),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="content" tabIndex={-1} className="sign-in">
      <h1>{t('signIn.title')}</h1>
      <p>{t('signIn.hint')}</p>
      <form onSubmit={submit}>
        <Field label={t('signIn.token')}>
          {(id) => <input id={id} name="token" type="password" autoComplete="off" required />}
        </Field>
        <button type="submit" disabled={busy}>
          {t('signIn.submit')}
        </button>
        {error && <p role="alert">{error}</p>}
      </form>
    </main>
  );
}
