"use client";

import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { Badge, Card, Empty, ErrorBox, Loading } from "@/components/ui";
import { useI18n } from "@/lib/i18n";
import { isKey } from "@/lib/messages";
import { useResource } from "@/lib/useResource";

type Certification = components["schemas"]["Certification"];

const STATUS_BADGE: Record<string, string> = {
  assigned: "pending",
  in_progress: "active",
  passed: "ready",
  failed: "failed",
  overdue: "hard",
  certified: "ready",
  expired: "failed",
  not_certified: "created",
};

/** The status of an assignee or a certification, in words and colour. */
export function ProgrammeBadge({ kind, status }: { kind: "assignment" | "cert"; status: string }) {
  const { t } = useI18n();
  const key = `${kind}.status.${status}`;
  return <Badge value={STATUS_BADGE[status] ?? status} text={isKey(key) ? t(key) : status} />;
}

/** The caller's certifications: certified (with the date), expired (renew), or not yet. */
export function MyCertifications() {
  const { t, date } = useI18n();
  const certs = useResource(() => api.get("/api/v1/certifications", { query: { scope: "mine" } }), []);
  return (
    <Card title={t("tasks.certifications")}>
      {certs.loading ? (
        <Loading />
      ) : certs.error ? (
        <ErrorBox error={certs.error} onRetry={() => void certs.reload()} />
      ) : certs.data && certs.data.items.length > 0 ? (
        <ul className="space-y-2">
          {certs.data.items.map((cert: Certification) => (
            <li key={cert.id} data-testid="my-certification" className="flex flex-wrap items-center gap-2 text-sm">
              <span className="font-medium text-slate-900">{cert.name}</span>
              <ProgrammeBadge kind="cert" status={cert.status} />
              {cert.certified_at && <span className="text-slate-600">{t("cert.since", { date: date(cert.certified_at) })}</span>}
              {cert.expires_at && <span className="text-slate-600">{t("cert.validUntil", { date: date(cert.expires_at) })}</span>}
            </li>
          ))}
        </ul>
      ) : (
        <Empty>{t("tasks.noCertifications")}</Empty>
      )}
    </Card>
  );
}

