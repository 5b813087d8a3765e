// The join details of a voice session's web call, kept in this tab between the start request and
// the session page (the API answers them once, at start; they carry no secret).

export interface CallInfo {
  id: string;
  web_call_url: string | null;
  public_key: string | null;
}

const key = (sessionId: string) => `dojo-call-${sessionId}`;

export function rememberCall(sessionId: string, call: CallInfo): void {
  window.sessionStorage.setItem(key(sessionId), JSON.stringify(call));
}

export function recallCall(sessionId: string): CallInfo | null {
  const raw = window.sessionStorage.getItem(key(sessionId));
  return raw ? (JSON.parse(raw) as CallInfo) : null;
}

export function forgetCall(sessionId: string): void {
  window.sessionStorage.removeItem(key(sessionId));
}
