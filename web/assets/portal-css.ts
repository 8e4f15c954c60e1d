// The one stylesheet of the portal and the workspace, served from /assets/portal.css so pages
// carry no inline style (a strict Content-Security-Policy can forbid it). Colours meet WCAG 2.1
// AA contrast on white (text ≥ 4.5:1); focus is always visible.
export const PORTAL_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:"Noto Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;line-height:1.6;color:#1b1b1b;background:#fff}
body{margin:0}
a{color:#0b4fa8;text-decoration:underline}
a:visited{color:#5b2a86}
a:hover{color:#062f66}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #b45309;outline-offset:2px;box-shadow:0 0 0 5px #fde68a}
.skip-link{position:absolute;left:-9999px;top:0;background:#fde68a;color:#1b1b1b;padding:.5rem 1rem;z-index:10}
.skip-link:focus{left:0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.site-header{background:#12355b;color:#fff;padding:.75rem 1rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:center;justify-content:space-between}
.site-header a,.site-header a:visited{color:#fff}
.site-header ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:1rem}
.site-header .site-name{font-weight:700;margin:0}
.site-header .lang-switch{margin:0}
.site-header button{background:#fff;color:#12355b;border:1px solid #fff}
main{max-width:60rem;margin:0 auto;padding:1rem}
.site-footer{border-top:1px solid #767676;padding:1rem;max-width:60rem;margin:2rem auto 0;color:#444}
table{border-collapse:collapse;width:100%;margin:1rem 0}
caption{text-align:left;font-weight:700;padding:.25rem 0}
th,td{border:1px solid #767676;padding:.4rem .6rem;text-align:left;vertical-align:top}
th{background:#eef2f7}
.paragraphs{list-style:none;padding-left:0}
.paragraphs li{margin-bottom:1rem}
.decision-nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;border-bottom:1px solid #767676;padding-bottom:.5rem}
.decision-nav a[aria-current=page]{font-weight:700;text-decoration:none;color:#1b1b1b}
.paragraph-number{font-weight:700;margin-right:.5rem}
.notice{border-left:6px solid #12355b;background:#eef2f7;padding:.75rem 1rem;margin:1rem 0}
.notice-warning{border-left-color:#8a4b00;background:#fff4e5}
.notice-success{border-left-color:#1e6b30;background:#e9f5ec}
.error-summary{border:4px solid #b00020;padding:1rem;margin:1rem 0}
.error-summary h2{margin-top:0;color:#b00020}
.field{margin:1rem 0}
.field label,.field legend{display:block;font-weight:700}
.field .choice label,.choice label{display:inline;font-weight:400}
.hint{color:#444;margin:.25rem 0}
.field-error{color:#b00020;font-weight:700;margin:.25rem 0}
.field-invalid input,.field-invalid textarea,.field-invalid select{border:3px solid #b00020}
.optional{font-weight:400;color:#444}
input[type=text],input[type=email],input[type=tel],input[type=password],input[type=number],input[type=datetime-local],input[type=date],input[type=url],select,textarea{font:inherit;padding:.4rem;border:2px solid #1b1b1b;width:100%;max-width:40rem;background:#fff;color:#1b1b1b}
input[type=number]{max-width:10rem}
fieldset{border:1px solid #767676;padding:.5rem 1rem;margin:1rem 0}
button,.button{font:inherit;background:#12355b;color:#fff;border:2px solid #12355b;padding:.5rem 1rem;cursor:pointer;text-decoration:none;display:inline-block}
.button:visited{color:#fff}
button.secondary{background:#fff;color:#12355b}
form.inline{display:inline}
.receipt{font-size:1.5rem;font-weight:700;letter-spacing:.05em}
.countdown{font-weight:700}
.overdue{color:#b00020;font-weight:700}
.status-tag{display:inline-block;border:1px solid #12355b;padding:0 .4rem;border-radius:.25rem}
dl.facts{display:grid;grid-template-columns:minmax(8rem,14rem) 1fr;gap:.25rem 1rem}
dl.facts dt{font-weight:700}
dl.facts dd{margin:0;white-space:pre-wrap}
.refusal{border:4px solid #b00020;padding:1rem;margin:1rem 0}
.refusal h2{color:#b00020;margin-top:0}
.hidden-opinion{font-style:italic;color:#444}
pre.text{white-space:pre-wrap;font-family:inherit}
`;
