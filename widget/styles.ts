/**
 * The widget's CSS, inside its shadow root: the host page's rules cannot reach in, and these
 * cannot leak out. `:host` resets what inherits through the boundary (font, colour, …);
 * the host element itself is pinned with inline !important styles in widget-host.ts.
 */
export const HOST_STYLE = [
  'all: initial !important', 'display: block !important', 'position: static !important', 'visibility: visible !important',
  'opacity: 1 !important', 'transform: none !important', 'filter: none !important', 'contain: none !important', 'clip-path: none !important',
].join(';')

export const CSS = `
:host{all:initial}
*{box-sizing:border-box;margin:0;padding:0;font:inherit;color:inherit}
[hidden]{display:none!important}
.root{--c:#1f6feb;--ink:#1d232b;--muted:#5f6b7a;--line:#e2e6eb;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);
 -webkit-font-smoothing:antialiased}
button,input,textarea{font:inherit}
button{cursor:pointer;border:0;background:none}
:focus-visible{outline:3px solid var(--c);outline-offset:2px}
.launcher{position:fixed;bottom:20px;right:20px;z-index:2147483646;width:60px;height:60px;border-radius:50%;background:var(--c);color:#fff;
 display:flex;align-items:center;justify-content:center;box-shadow:0 6px 20px rgba(0,0,0,.25)}
.left .launcher{right:auto;left:20px}
.launcher .badge{position:absolute;top:-2px;right:-2px;min-width:20px;height:20px;border-radius:10px;background:#d1242f;color:#fff;font-size:12px;
 display:flex;align-items:center;justify-content:center;padding:0 5px}
.panel{position:fixed;bottom:92px;right:20px;z-index:2147483647;width:380px;height:min(620px,calc(100vh - 112px));background:#fff;border-radius:14px;
 box-shadow:0 12px 48px rgba(0,0,0,.28);display:flex;flex-direction:column;overflow:hidden}
.left .panel{right:auto;left:20px}
.head{background:var(--c);color:#fff;padding:14px 16px;display:flex;align-items:center;gap:10px;flex:none}
.head img{width:36px;height:36px;border-radius:50%;object-fit:cover;background:#fff3}
.head .titles{flex:1;min-width:0}
.head h2{font-size:16px;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.head p{font-size:13px;opacity:.9}
.head button{color:#fff;width:40px;height:40px;border-radius:8px;display:flex;align-items:center;justify-content:center}
.head button:hover{background:#fff2}
.notice{padding:10px 16px;font-size:14px;background:#fff8e5;border-bottom:1px solid #f0e2b6;flex:none}
.notice.info{background:#eef5ff;border-color:#cfe0fb}
.notice.offline{background:#f3f4f6;border-color:var(--line)}
.notice form,.transcript{display:flex;gap:6px;margin-top:6px}
.transcript input{flex:1;min-width:0;border:1px solid var(--line);border-radius:8px;padding:7px 9px}
.log{flex:1;overflow-y:auto;padding:14px 12px;display:flex;flex-direction:column;gap:8px;background:#f7f8fa}
.msg{max-width:82%;display:flex;flex-direction:column;gap:2px;align-self:flex-start}
.msg.mine{align-self:flex-end;align-items:flex-end}
.msg.event{align-self:center;max-width:92%;text-align:center;font-size:13px;color:var(--muted)}
.bubble{padding:8px 12px;border-radius:14px;background:#fff;border:1px solid var(--line);white-space:pre-wrap;overflow-wrap:anywhere}
.mine .bubble{background:var(--c);color:#fff;border-color:transparent}
.event .bubble{background:none;border:0;padding:2px 8px}
.bubble.markdown{white-space:normal}.bubble.markdown p,.bubble.markdown ul,.bubble.markdown ol{margin:0}.bubble.markdown *+p,.bubble.markdown *+ul,.bubble.markdown *+ol{margin-top:6px}.bubble.markdown ul,.bubble.markdown ol{padding-left:20px}.bubble a{color:inherit;text-decoration:underline}
.meta{font-size:12px;color:var(--muted);display:flex;gap:6px;align-items:center}
.meta .failed{color:#b42318}
.meta button{color:var(--c);text-decoration:underline;font-size:12px}
.files{display:flex;flex-direction:column;gap:4px;margin-top:4px}
.files img{max-width:220px;max-height:220px;border-radius:8px;display:block}
.files button{color:inherit;text-decoration:underline;text-align:left}
.pending-file{font-size:13px;opacity:.9;border:1px dashed currentColor;border-radius:8px;padding:4px 8px}
.typing{padding:0 16px 6px;font-size:13px;color:var(--muted);min-height:20px;background:#f7f8fa;flex:none}
.compose{border-top:1px solid var(--line);padding:8px;display:flex;gap:6px;align-items:flex-end;flex:none;background:#fff}
.compose textarea{flex:1;resize:none;border:1px solid var(--line);border-radius:10px;padding:9px 10px;min-height:42px;max-height:120px;background:#fff}
.iconbtn{width:42px;height:42px;border-radius:10px;display:flex;align-items:center;justify-content:center;color:var(--muted);flex:none}
.iconbtn.primary{background:var(--c);color:#fff}
.iconbtn:disabled{opacity:.5;cursor:default}
.form{padding:16px;display:flex;flex-direction:column;gap:10px;overflow-y:auto;flex:1}
.form label{display:flex;flex-direction:column;gap:4px;font-size:14px;font-weight:500}
input[type=text],input[type=email],textarea.comment{border:1px solid var(--line);border-radius:8px;padding:9px 10px;background:#fff;width:100%}
input[aria-invalid=true]{border-color:#b42318}
.error{color:#b42318;font-size:13px;font-weight:400}
.btn{background:var(--c);color:#fff;border-radius:8px;padding:9px 14px;font-weight:600}
.btn.ghost{background:none;color:var(--c);border:1px solid var(--c)}
.end{padding:12px 16px;border-top:1px solid var(--line);display:flex;flex-direction:column;gap:8px;flex:none;background:#fff}
.stars{display:flex;gap:6px}
.stars button{width:40px;height:40px;border-radius:8px;border:1px solid var(--line);font-size:16px;font-weight:600}
.stars button[aria-pressed=true]{background:var(--c);color:#fff;border-color:var(--c)}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:480px){
 .panel,.left .panel{inset:0;width:100%;height:100%;border-radius:0;bottom:0;right:0;left:0}
 .launcher{bottom:16px;right:16px}
 .left .launcher{left:16px}
}
@media (prefers-reduced-motion:no-preference){
 .panel{animation:rise .18s ease-out}
 .launcher{transition:transform .15s}
 .launcher:hover{transform:scale(1.05)}
 @keyframes rise{from{opacity:0;transform:translateY(12px)}to{opacity:1;transform:none}}
}
`
