import { useEffect, useState } from 'react';

/** `#/knowledge/demo/faq-1` → ['knowledge', 'demo', 'faq-1']; pages route by the hash. */
export function parseHash(hash: string): string[] {
  return hash
    .replace(/^#\/?/u, '')
    .split('/')
    .filter((part) => part !== '')
    .map((part) => decodeURIComponent(part));
}

export function href(...parts: string[]): string {
  return `#/${parts.map((part) => encodeURIComponent(part)).join('/')}`;
}

export function useRoute(): string[] {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
