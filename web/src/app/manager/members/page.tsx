"use client";

import { useState, type FormEvent } from "react";
import { api } from "@/api/client";
import type { Invitation, Me, Member, Role } from "@/api/types";
import { Page } from "@/components/Shell";
import { Card, Empty, ErrorBox, Loading, PageTitle, button, buttonDanger, input, label, useErrorMessage } from "@/components/ui";
import { hasRole } from "@/lib/auth";
import { useI18n } from "@/lib/i18n";
import { useResource, type Resource } from "@/lib/useResource";

const ROLES: Role[] = ["salesperson", "manager", "admin"];

function Invite({ me, onInvited }: { me: Me; onInvited: () => void }) {
  const { t } = useI18n();
  const errorMessage = useErrorMessage();
  const [email, setEmail] = useState("");
  const [fullName, setFullName] = useState("");
  const [role, setRole] = useState<Role>("salesperson");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [link, setLink] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    setLink(null);
    try {
      const invitation = await api.post("/api/v1/auth/members/invite", { body: { email: email.trim(), full_name: fullName.trim() || null, role } });
      setMessage({ ok: true, text: `${t("members.invited", { email: email.trim() })} ${t("members.pendingNote")}` });
      setLink(invitation.accept_url ?? null);
      setEmail("");
      setFullName("");
      onInvited();
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  // Managers invite salespeople and managers; only admins make admins (the API decides either way).
  const allowed = ROLES.filter((r) => r !== "admin" || hasRole(me.role, "admin"));
  return (
    <Card title={t("members.invite")}>
      <form onSubmit={submit} className="grid gap-3 sm:grid-cols-[1fr_1fr_10rem_auto] sm:items-end">
        <div>
          <label htmlFor="invite-email" className={label}>
            {t("login.email")}
          </label>
          <input id="invite-email" type="email" required className={`${input} mt-1`} value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div>
          <label htmlFor="invite-name" className={label}>
            {t("members.name")}
          </label>
          <input id="invite-name" maxLength={200} className={`${input} mt-1`} value={fullName} onChange={(e) => setFullName(e.target.value)} />
        </div>
        <div>
          <label htmlFor="invite-role" className={label}>
            {t("members.role")}
          </label>
          <select id="invite-role" className={`${input} mt-1`} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {allowed.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className={button} disabled={busy}>
          {t("members.send")}
        </button>
        {message && (
          <p role={message.ok ? "status" : "alert"} className={`text-sm sm:col-span-4 ${message.ok ? "text-green-700" : "text-red-700"}`}>
            {message.text}
          </p>
        )}
        {link && (
          <p className="text-sm text-slate-700 sm:col-span-4">
            {t("members.acceptLink")}{" "}
            <a href={link} data-testid="accept-link" className="break-all font-mono text-xs text-indigo-700 underline">
              {link}
            </a>
          </p>
        )}
      </form>
    </Card>
  );
}

function MemberRow({ member, me, onChanged }: { member: Member; me: Me; onChanged: () => void }) {
  const { t } = useI18n();
  const errorMessage = useErrorMessage();
  const [error, setError] = useState<string | null>(null);
  const admin = hasRole(me.role, "admin");
  const self = member.id === me.user_id;

  async function change(role: Role) {
    setError(null);
    try {
      await api.patch("/api/v1/auth/members/{member_id}", { path: { member_id: member.id }, body: { role } });
      onChanged();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function remove() {
    if (!window.confirm(t("members.confirmRemove", { name: member.full_name ?? member.email ?? "" }))) return;
    setError(null);
    try {
      await api.delete("/api/v1/auth/members/{member_id}", { path: { member_id: member.id } });
      onChanged();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <tr className="border-t border-slate-100">
      <th scope="row" className="py-2 pr-3 text-left font-medium">
        {member.full_name ?? "—"}
        <span className="block text-xs font-normal text-slate-500">{member.email}</span>
        {error && (
          <span role="alert" className="block text-xs font-normal text-red-700">
            {error}
          </span>
        )}
      </th>
      <td className="py-2 pr-3">
        {admin && !self ? (
          <select
            aria-label={t("members.roleOf", { name: member.full_name ?? member.email ?? "" })}
            className="rounded-md border border-slate-300 px-2 py-1 text-sm"
            value={member.role}
            onChange={(e) => void change(e.target.value as Role)}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        ) : (
          t(`role.${member.role}`)
        )}
      </td>
      <td className="py-2 text-right">
        {admin && !self && (
          <button type="button" className={buttonDanger} onClick={() => void remove()}>
            {t("members.remove")}
          </button>
        )}
      </td>
    </tr>
  );
}

function Invitations({ invitations, onChanged }: { invitations: Resource<Invitation[]>; onChanged: () => void }) {
  const { t, date } = useI18n();
  const errorMessage = useErrorMessage();
  const [error, setError] = useState<string | null>(null);

  async function revoke(invitation: Invitation) {
    if (!window.confirm(t("members.confirmRevoke", { email: invitation.email }))) return;
    setError(null);
    try {
      await api.delete("/api/v1/auth/invitations/{invitation_id}", { path: { invitation_id: invitation.id } });
      onChanged();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <Card title={t("members.invitations")}>
      {error && (
        <p role="alert" className="mb-2 text-sm text-red-700">
          {error}
        </p>
      )}
      {invitations.loading ? (
        <Loading />
      ) : invitations.error ? (
        <ErrorBox error={invitations.error} onRetry={() => void invitations.reload()} />
      ) : invitations.data && invitations.data.length > 0 ? (
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="invitations-table">
            <tbody>
              {invitations.data.map((invitation) => (
                <tr key={invitation.id} className="border-t border-slate-100">
                  <th scope="row" className="py-2 pr-3 text-left font-medium">
                    {invitation.full_name ?? "—"}
                    <span className="block text-xs font-normal text-slate-500">{invitation.email}</span>
                  </th>
                  <td className="py-2 pr-3">{t(`role.${invitation.role}`)}</td>
                  <td className={`py-2 pr-3 text-xs ${invitation.expired ? "text-amber-700" : "text-slate-500"}`}>
                    {invitation.expired ? t("members.expired") : t("members.expires", { date: date(invitation.expires_at) })}
                  </td>
                  <td className="py-2 text-right">
                    <button type="button" className={buttonDanger} onClick={() => void revoke(invitation)}>
                      {t("members.revoke")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <Empty>{t("members.noInvitations")}</Empty>
      )}
    </Card>
  );
}

function Usage() {
  const { t } = useI18n();
  const usage = useResource(() => api.get("/api/v1/auth/usage", { query: { months: 6 } }), []);
  return (
    <Card title={t("members.usage")}>
      {usage.loading ? (
        <Loading />
      ) : usage.error ? (
        <ErrorBox error={usage.error} onRetry={() => void usage.reload()} />
      ) : !usage.data || usage.data.months.length === 0 ? (
        <Empty>{t("members.noUsage")}</Empty>
      ) : (
        <>
          <p className="mb-2 text-sm text-slate-700">{t("members.total", { cost: usage.data.total_cost_usd.toFixed(2) })}</p>
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th scope="col" className="py-2 pr-3">{t("members.month")}</th>
                  <th scope="col" className="py-2 pr-3">{t("members.kind")}</th>
                  <th scope="col" className="py-2 pr-3 text-right">{t("members.calls")}</th>
                  <th scope="col" className="py-2 pr-3 text-right">{t("members.tokens")}</th>
                  <th scope="col" className="py-2 pr-3 text-right">{t("members.cost")}</th>
                </tr>
              </thead>
              <tbody>
                {usage.data.months.map((m) => (
                  <tr key={`${m.month}-${m.kind}`} className="border-t border-slate-100">
                    <td className="py-2 pr-3">{m.month}</td>
                    <td className="py-2 pr-3">{m.kind}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">{m.calls}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">{m.input_tokens + m.output_tokens}</td>
                    <td className="py-2 pr-3 text-right tabular-nums">{m.cost_usd.toFixed(4)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Card>
  );
}

function Members({ me }: { me: Me }) {
  const { t } = useI18n();
  const members = useResource(() => api.get<"/api/v1/auth/members", Member[]>("/api/v1/auth/members"), []);
  const invitations = useResource<Invitation[]>(() => api.get("/api/v1/auth/invitations"), []);
  return (
    <>
      <PageTitle subtitle={t("members.subtitle")}>{t("members.title")}</PageTitle>
      <div className="space-y-6">
        <Invite me={me} onInvited={() => void invitations.reload()} />
        <Card title={t("members.list")}>
          {members.loading ? (
            <Loading />
          ) : members.error ? (
            <ErrorBox error={members.error} onRetry={() => void members.reload()} />
          ) : members.data && members.data.length > 0 ? (
            <div className="overflow-x-auto">
              <table className="w-full text-sm" data-testid="members-table">
                <tbody>
                  {members.data.map((member) => (
                    <MemberRow key={member.id} member={member} me={me} onChanged={() => void members.reload()} />
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <Empty>{t("members.empty")}</Empty>
          )}
        </Card>
        <Invitations invitations={invitations} onChanged={() => void invitations.reload()} />
        {hasRole(me.role, "admin") && <Usage />}
      </div>
    </>
  );
}

export default function MembersPage() {
  return <Page role="manager">{(me) => <Members me={me} />}</Page>;
}
