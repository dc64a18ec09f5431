import { ROLES, type Role, type TokenRecordBody } from '@naparnik/assist-service/contract';
import './gaps.css';
import { type FormEvent, useRef, useState } from 'react';
import { createToken, listTokens, revokeToken } from '../api-tokens.ts';
import { formatDateTime, useI18n } from '../i18n.ts';
import { useAsync } from '../use-async.ts';
import { Field } from './field.tsx';
import { LoadStatus } from './status.tsx';

/**
 * Tokens for admins (issue 13): the same /v1/tokens the CLI's `pnpm naparnik tokens` mirrors.
 * A new token is shown once, with a copy button; revoking asks once more.
 */
export function TokensPage() {
  const { t, language } = useI18n();
  const [state, reload] = useAsync(() => listTokens(), []);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [tenant, setTenant] = useState('');
  const [created, setCreated] = useState<{ name: string; token: string }>();
  const [copied, setCopied] = useState(false);
  const [confirming, setConfirming] = useState<TokenRecordBody>();
  const [status, setStatus] = useState<{ message: string; failed: boolean }>();
  const tokenField = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setStatus(undefined);
    setCopied(false);
    try {
      const result = await createToken({
        name: name.trim(),
        role,
        ...(tenant.trim() ? { tenant: tenant.trim() } : {}),
      });
      setCreated({ name: result.record.name, token: result.token });
      setName('');
      reload();
      // The value is shown once: focus it so it can be copied by keyboard too.
      setTimeout(() => tokenField.current?.select(), 0);
    } catch (failure) {
      setCreated(undefined);
      setStatus({ message: `${t('tokens.failed')}: ${(failure as Error).message}`, failed: true });
    }
  };

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.token);
    } catch {
      // Without clipboard access (plain http on another host) the selected text can be copied by hand.
      tokenField.current?.select();
      document.execCommand('copy');
    }
    setCopied(true);
  };

  const revoke = async (record: TokenRecordBody) => {
    setConfirming(undefined);
    try {
      await revokeToken(record.id);
      // A revoked token's value is no use to copy any more.
      if (created?.name === record.name) setCreated(undefined);
      setStatus({ message: t('tokens.revoked', { name: record.name }), failed: false });
      reload();
    } catch (failure) {
      setStatus({ message: `${t('tokens.failed')}: ${(failure as Error).message}`, failed: true });
    }
  };

  return (
    <section aria-labelledby="tokens-title">
      <h1 id="tokens-title">{t('tokens.title')}</h1>
      <p className="muted">{t('tokens.intro')}</p>
      <form onSubmit={submit} aria-labelledby="tokens-create">
        <h2 id="tokens-create">{t('tokens.create')}</h2>
        <div className="toolbar">
          <Field label={t('tokens.name')}>
            {(id) => (
              <input
                id={id}
                name="name"
                value={name}
                required
                maxLength={64}
                onChange={(event) => setName(event.target.value)}
              />
            )}
          </Field>
          <Field label={t('tokens.role')}>
            {(id) => (
              <select id={id} value={role} onChange={(event) => setRole(event.target.value as Role)}>
                {ROLES.map((each) => (
                  <option key={each} value={each}>
                    {t(`role.${each}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('tokens.tenant')}>
            {(id) => (
              <input
                id={id}
                value={tenant}
                maxLength={63}
                onChange={(event) => setTenant(event.target.value)}
              />
            )}
          </Field>
          <button type="submit">{t('tokens.submit')}</button>
        </div>
      </form>
      {created && (
        <div className="created-token" role="alert">
          <p>{t('tokens.created', { name: created.name })}</p>
          <div className="toolbar">
            <Field label={t('tokens.value')}>
              {(id) => (
                <input
                  id={id}
                  ref={tokenField}
                  readOnly
                  value={created.token}
                  size={60}
                  className="token-value"
                />
              )}
            </Field>
            <button type="button" onClick={copy}>
              {copied ? t('tokens.copied') : t('tokens.copy')}
            </button>
          </div>
        </div>
      )}
      <p role="status" className={status?.failed ? 'error' : undefined}>
        {status?.message ?? ''}
      </p>
      <h2>{t('tokens.list')}</h2>
      <LoadStatus state={state} retry={reload} />
      {state.status === 'done' && (
        <table>
          <caption className="visually-hidden">{t('tokens.list')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('tokens.nameColumn')}</th>
              <th scope="col">{t('tokens.role')}</th>
              <th scope="col">{t('tokens.tenantColumn')}</th>
              <th scope="col">{t('tokens.createdAt')}</th>
              <th scope="col">{t('tokens.state')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('tokens.revoke')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {state.value.tokens.map((record) => (
              <tr key={record.id}>
                <th scope="row">{record.name}</th>
                <td>{t(`role.${record.role}`)}</td>
                <td>{record.tenant}</td>
                <td>{formatDateTime(language, record.createdAt)}</td>
                <td>
                  {record.revokedAt
                    ? t('tokens.revokedAt', { date: formatDateTime(language, record.revokedAt) })
                    : t('tokens.active')}
                </td>
                <td>
                  {!record.revokedAt &&
                    (confirming?.id === record.id ? (
                      <div className="toolbar">
                        <p>{t('tokens.confirmRevoke', { name: record.name })}</p>
                        <button type="button" className="danger" onClick={() => revoke(record)}>
                          {t('tokens.confirm')}
                        </button>
                        <button type="button" onClick={() => setConfirming(undefined)}>
                          {t('tokens.cancel')}
                        </button>
                      </div>
                    ) : (
                      <button
                        type="button"
                        aria-label={`${t('tokens.revoke')}: ${record.name}`}
                        onClick={() => setConfirming(record)}
                      >
                        {t('tokens.revoke')}
                      </button>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
