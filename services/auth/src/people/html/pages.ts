/** The few pages a person sees: sign in, consent, sign out, and errors. No JavaScript needed. */
import { html, Html } from './escape.js';

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002;width:min(22rem,90vw)}
h1{font-size:1.3rem;margin-top:0}label{display:block;margin:.8rem 0 .2rem}input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}
button{margin-top:1rem;padding:.55rem 1rem;font-size:1rem;cursor:pointer}.error{color:#a30000;background:#fdecea;padding:.5rem;border-radius:4px}
.muted{color:#555;font-size:.9rem}ul{padding-left:1.2rem}`;

function layout(title: string, body: Html): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${title}</title>
        <style>
          ${new Html(STYLE)}
        </style>
      </head>
      <body>
        <main>${body}</main>
      </body>
    </html>`;
}

export interface LoginPageInput {
  action: string;
  interaction: string;
  csrf: string;
  clientName: string;
  username?: string;
  error?: string;
}

export function loginPage(input: LoginPageInput): Html {
  return layout(
    'Sign in',
    html`<h1>Sign in</h1>
      <p class="muted">to continue to <strong>${input.clientName}</strong></p>
      ${input.error ? html`<p class="error" role="alert">${input.error}</p>` : ''}
      <form method="post" action="${input.action}">
        <input type="hidden" name="interaction" value="${input.interaction}" />
        <input type="hidden" name="csrf" value="${input.csrf}" />
        <label for="username">Username</label>
        <input
          type="text"
          id="username"
          name="username"
          value="${input.username ?? ''}"
          autocomplete="username"
          autocapitalize="none"
          required
          autofocus
        />
        <label for="password">Password</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required />
        <button type="submit">Sign in</button>
      </form>`,
  );
}

export interface ConsentPageInput {
  action: string;
  interaction: string;
  csrf: string;
  clientName: string;
  username: string;
  scopes: readonly string[];
}

const SCOPE_TEXT: Record<string, string> = {
  openid: 'Know who you are',
  profile: 'See your name and username',
  email: 'See your email address',
  offline_access: 'Stay signed in to it when you are away',
};

export function consentPage(input: ConsentPageInput): Html {
  return layout(
    'Allow access',
    html`<h1>Allow access?</h1>
      <p><strong>${input.clientName}</strong> asks to:</p>
      <ul>
        ${input.scopes.map((s) => html`<li>${SCOPE_TEXT[s] ?? html`Use the <code>${s}</code> permission`}</li>`)}
      </ul>
      <p class="muted">Signed in as ${input.username}.</p>
      <form method="post" action="${input.action}">
        <input type="hidden" name="interaction" value="${input.interaction}" />
        <input type="hidden" name="csrf" value="${input.csrf}" />
        <button type="submit" name="decision" value="allow">Allow</button>
        <button type="submit" name="decision" value="deny">Deny</button>
      </form>`,
  );
}

export interface LogoutPageInput {
  action: string;
  csrf: string;
  /** Carried through the confirmation. */
  fields: Record<string, string>;
}

export function logoutPage(input: LogoutPageInput): Html {
  return layout(
    'Sign out',
    html`<h1>Sign out?</h1>
      <form method="post" action="${input.action}">
        <input type="hidden" name="csrf" value="${input.csrf}" />
        ${Object.entries(input.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}
        <button type="submit">Sign out</button>
      </form>`,
  );
}

export function messagePage(title: string, message: string): Html {
  return layout(
    title,
    html`<h1>${title}</h1>
      <p>${message}</p>`,
  );
}
