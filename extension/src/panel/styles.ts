/** The panel's CSS, injected into its shadow root (and the side panel page): the page's styles never reach it. */
export const PANEL_CSS = `
:host { all: initial; }
.np-root { position: fixed; top: 0; right: 0; height: 100vh; width: 360px; z-index: 2147483646; display: flex;
  flex-direction: column; background: #fffdfa; color: #2b2622; border-left: 1px solid #e2dbd2;
  box-shadow: -4px 0 16px rgba(0,0,0,.08); font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.np-root.np-embedded { position: static; width: auto; height: 100vh; box-shadow: none; border: 0; }
.np-tab { position: fixed; top: 40%; right: 0; z-index: 2147483646; writing-mode: vertical-rl; padding: 10px 6px;
  border: 0; border-radius: 8px 0 0 8px; background: #8a5a2b; color: #fff; font: 600 13px system-ui, sans-serif; cursor: pointer; }
.np-head { display: flex; align-items: center; gap: 6px; padding: 8px 10px; border-bottom: 1px solid #eee6dc; }
.np-head h2 { font-size: 14px; margin: 0; flex: 1; }
.np-tabs { display: flex; gap: 4px; padding: 6px 10px 0; }
.np-tabs button[aria-selected="true"] { background: #f1e6d8; border-color: #d9c6ae; }
.np-body { flex: 1; overflow: auto; padding: 10px; display: flex; flex-direction: column; gap: 10px; }
.np-foot { padding: 6px 10px; border-top: 1px solid #eee6dc; color: #7a7168; font-size: 11px; }
.np-foot .np-link { display: block; margin-top: 4px; padding: 0; border: 0; background: none; color: #8a5a2b; font-size: 11px; text-decoration: underline; cursor: pointer; }
button { font: inherit; padding: 4px 8px; border: 1px solid #d8d0c6; border-radius: 6px; background: #fff; color: inherit; cursor: pointer; }
button:disabled { opacity: .5; cursor: default; }
button.np-primary { background: #8a5a2b; border-color: #8a5a2b; color: #fff; }
button.np-link { border: 0; background: none; padding: 0; color: #6b4420; text-decoration: underline; }
.np-card { border: 1px solid #e6ddd2; border-radius: 10px; padding: 8px 10px; background: #fff; }
.np-card-head { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; font-size: 11px; color: #7a7168; }
.np-card-title { font-weight: 600; color: #2b2622; }
.np-badge { border: 1px solid #e0d6ca; border-radius: 4px; padding: 0 4px; }
.np-confidence-high { color: #2f7d32; } .np-confidence-medium { color: #9a6b00; } .np-confidence-low { color: #b3261e; }
.np-text { white-space: pre-wrap; margin: 6px 0; }
.np-slot { background: #ffe08a; border-radius: 3px; padding: 0 2px; }
.np-missing { color: #9a6b00; margin: 4px 0; font-size: 12px; }
.np-asked-before { color: #5b534b; margin: 4px 0; font-size: 12px; font-style: italic; }
.np-sources ul { list-style: none; margin: 2px 0 0; padding: 0; display: flex; flex-direction: column; gap: 2px; }
.np-quote { margin: 4px 0; padding: 4px 8px; border-left: 3px solid #d9c6ae; color: #5b534b; font-size: 12px; }
.np-card-actions { display: flex; gap: 6px; align-items: center; margin-top: 6px; }
.np-spacer { flex: 1; }
.np-reasons { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 6px; }
.np-notice { margin: 6px 0 0; font-size: 12px; color: #2f7d32; }
.np-muted { color: #7a7168; }
.np-error { color: #b3261e; }
.np-state { text-align: center; padding: 24px 8px; }
.np-state h3 { margin: 0 0 6px; font-size: 14px; }
.np-unsure { background: #fff1f0; border: 1px solid #f3c4bf; border-radius: 8px; padding: 6px 8px; font-size: 12px; margin-bottom: 8px; }
.np-unsure p { margin: 0 0 4px; }
.np-degraded { background: #fff6dc; border: 1px solid #f0dca0; border-radius: 8px; padding: 6px 8px; font-size: 12px; }
.np-section h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .03em; color: #7a7168; margin: 0 0 4px; }
.np-section ul { margin: 0; padding-left: 18px; }
.np-actions li { display: flex; flex-direction: column; margin-bottom: 4px; }
.np-reason { color: #5b534b; font-size: 12px; }
.np-ask { font-style: italic; font-size: 12px; }
.np-sentiment-negative { color: #b3261e; }
.np-search form { display: flex; gap: 6px; }
.np-search input { flex: 1; font: inherit; padding: 4px 8px; border: 1px solid #d8d0c6; border-radius: 6px; }
.np-hits { list-style: none; padding: 0; display: flex; flex-direction: column; gap: 8px; }
.np-hits p { margin: 2px 0; white-space: pre-wrap; }
.np-fieldset { border: 0; padding: 0; margin: 6px 0 0; min-width: 0; }
.np-rewrite { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 4px; }
.np-rewrite button { font-size: 12px; padding: 2px 6px; }
.np-dismiss { border: 0; background: none; padding: 0 4px; margin-left: auto; font-size: 14px; line-height: 1; color: #7a7168; }
.np-card-dismissed { display: flex; align-items: center; gap: 6px; padding: 4px 10px; color: #7a7168; font-size: 12px; }
.np-draft { border: 1px dashed #d9c6ae; border-radius: 10px; padding: 6px 10px; background: #fffaf3; }
.np-draft h3 { display: flex; gap: 6px; font-size: 12px; margin: 0 0 4px; color: #5b534b; }
.np-draft-text { white-space: pre-wrap; margin: 4px 0; }
.np-flag { text-decoration: underline wavy; text-decoration-skip-ink: none; text-underline-offset: 3px; cursor: help; }
.np-flag-error { text-decoration-color: #d93025; } .np-flag-warning { text-decoration-color: #e37400; } .np-flag-info { text-decoration-color: #1a73e8; }
.np-findings { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 4px; font-size: 12px; }
.np-findings li { display: flex; flex-wrap: wrap; gap: 4px; align-items: baseline; }
.np-findings button { font-size: 11px; padding: 1px 6px; }
.np-finding-error { color: #b3261e; } .np-finding-warning { color: #8a5300; } .np-finding-info { color: #1a5bb8; }
/* Safety warnings: a sign, a heading and words carry them; the colour only adds to it. */
.np-safety { background: #fff1f0; border: 2px solid #b3261e; border-radius: 8px; padding: 6px 8px; font-size: 12px; color: #2b2622; }
.np-safety h3 { display: flex; align-items: center; gap: 4px; margin: 0 0 4px; font-size: 13px; color: #b3261e; }
.np-safety ul { margin: 0 0 4px; padding-left: 18px; }
.np-safety p { margin: 0 0 4px; }
.np-safety-card { border-width: 1px; margin: 4px 0; }
.np-safety-sign { vertical-align: -2px; margin-right: 4px; color: #b3261e; }
.np-safety-refused { font-size: 12px; color: #8a5300; margin: 0; }
`;
