// The token of an invitation link opened before signing in: kept in this browser until the
// person accepts or sets it aside, so signing in (or up) does not lose it.

const KEY = "dojo-invitation";

export function rememberInvitation(token: string): void {
  window.localStorage.setItem(KEY, token);
}

export function rememberedInvitation(): string | null {
  return typeof window === "undefined" ? null : window.localStorage.getItem(KEY);
}

export function forgetInvitation(): void {
  window.localStorage.removeItem(KEY);
}

/** The accept page for a token. */
export function invitationHref(token: string): string {
  return `/invitations/accept/?token=${encodeURIComponent(token)}`;
}
