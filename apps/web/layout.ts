import type { Principal, Role } from '../../libs/auth/index.js';
import { html, type SafeHtml } from '../../libs/html/index.js';
import { CSRF_FIELD } from './session.js';

export interface NavItem {
  href: string;
  label: string;
  /** Shown to people holding one of these roles; to everyone signed in when absent. */
  roles?: Role[];
}

/** The site's sections, in the order the header shows them. */
export const NAV: NavItem[] = [
  { href: '/secretariat', label: 'Dashboard', roles: ['secretariat'] },
  { href: '/vote', label: 'Vote', roles: ['partner'] },
  { href: '/audit', label: 'Audit', roles: ['auditor', 'secretariat'] },
  { href: '/registers/partners', label: 'Partners' },
  { href: '/registers/offices', label: 'Offices' },
  { href: '/registers/workplans', label: 'Workplans' },
  { href: '/registers/ballots', label: 'Ballots' },
];

export interface PageOptions {
  title: string;
  body: SafeHtml;
  principal?: Principal;
  csrf: string;
  /** The path of the page, to mark its section as current in the header. */
  path?: string;
  /** A one-time message from the previous step (a command that was recorded). */
  notice?: string;
  /** Reload the page every so many seconds while it is open (JavaScript only; the page says so itself too). */
  refreshSeconds?: number;
}

/** A whole HTML page: header with the sections this person may use, the body, and the CSRF field for sign-out. */
export function page(options: PageOptions): string {
  const { principal } = options;
  const items = principal === undefined ? [] : NAV.filter((item) => item.roles === undefined || item.roles.some((role) => principal.roles.includes(role)));
  const current = (href: string) => options.path !== undefined && (options.path === href || options.path.startsWith(`${href}/`));
  const document = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · U4SSC governance</title>
<link rel="stylesheet" href="/assets/web.css">
<script src="/assets/web.js" defer></script>
</head>
<body${options.refreshSeconds ? html` data-refresh-seconds="${options.refreshSeconds}"` : ''}>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
  <a class="brand" href="/">U4SSC governance</a>
  ${items.length > 0
    ? html`<nav aria-label="Sections"><ul>${items.map(
        (item) => html`<li><a href="${item.href}"${current(item.href) ? html` aria-current="page"` : ''}>${item.label}</a></li>`,
      )}</ul></nav>`
    : ''}
  <div class="who">${principal === undefined
    ? html`<a href="/sign-in">Sign in</a>`
    : html`<span>${whoLabel(principal)}</span>
      <form method="post" action="/sign-out"><input type="hidden" name="${CSRF_FIELD}" value="${options.csrf}"><button type="submit">Sign out</button></form>`}</div>
</header>
<main id="main">
${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
<h1>${options.title}</h1>
${options.body}
</main>
</body>
</html>
`;
  return document.value;
}

/** "Ada Lovelace (partner, FAO)": who is signed in, in what capacity. */
export function whoLabel(principal: Principal): string {
  const capacity = [principal.roles.join(', ') || 'no role', principal.org].filter(Boolean).join(', ');
  return `${principal.name ?? principal.id} (${capacity})`;
}
