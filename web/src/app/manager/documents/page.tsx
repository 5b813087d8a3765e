"use client";

import { useRef, useState, type FormEvent } from "react";
import { api, putWithProgress, uploadWithProgress } from "@/api/client";
import type { DocumentOut, KnowledgeStatus, SearchHit, UploadOut } from "@/api/types";
import { Page } from "@/components/Shell";
import { Badge, Card, Empty, ErrorBox, Loading, PageTitle, button, buttonDanger, buttonSecondary, input, label, useErrorMessage } from "@/components/ui";
import { useI18n } from "@/lib/i18n";
import { useLive, useResource } from "@/lib/useResource";

// API Gateway caps a request body at a few MB: bigger files go straight to Storage via a signed URL.
const DIRECT_UPLOAD_LIMIT = 4 * 1024 * 1024;

interface Upload {
  key: string;
  name: string;
  size: number;
  progress: number;
  state: "uploading" | "done" | "error";
  error?: string;
}

function size(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return "—";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function Uploader({ onUploaded }: { onUploaded: () => void }) {
  const { t } = useI18n();
  const errorMessage = useErrorMessage();
  const [uploads, setUploads] = useState<Upload[]>([]);
  const inputRef = useRef<HTMLInputElement>(null);

  function update(key: string, change: Partial<Upload>) {
    setUploads((all) => all.map((u) => (u.key === key ? { ...u, ...change } : u)));
  }

  async function uploadOne(file: File, key: string) {
    const progress = (fraction: number) => update(key, { progress: fraction });
    try {
      if (file.size <= DIRECT_UPLOAD_LIMIT) {
        const form = new FormData();
        form.append("files", file, file.name);
        await uploadWithProgress<UploadOut>("/api/v1/onboarding/upload-documents", form, progress);
      } else {
        const signed = await api.post("/api/v1/onboarding/upload-url", {
          body: { filename: file.name, bytes: file.size, content_type: file.type || "application/octet-stream" },
        });
        await putWithProgress(signed.url, file, progress);
      }
      update(key, { state: "done", progress: 1 });
    } catch (error) {
      update(key, { state: "error", error: errorMessage(error) });
    }
    onUploaded();
  }

  function upload(files: FileList | null) {
    if (!files || files.length === 0) return;
    const added = Array.from(files).map((file, i) => ({ file, key: `${Date.now()}-${i}-${file.name}` }));
    setUploads((all) => [...added.map(({ file, key }) => ({ key, name: file.name, size: file.size, progress: 0, state: "uploading" as const })), ...all]);
    for (const { file, key } of added) void uploadOne(file, key);
    if (inputRef.current) inputRef.current.value = "";
  }

  return (
    <Card title={t("documents.upload")}>
      <label
        htmlFor="files"
        className="flex cursor-pointer flex-col items-center justify-center rounded-lg border-2 border-dashed border-slate-300 p-6 text-center text-sm text-slate-600 focus-within:ring-2 focus-within:ring-indigo-500 hover:border-indigo-400"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          upload(e.dataTransfer.files);
        }}
      >
        <span className="font-medium text-indigo-700">{t("documents.choose")}</span>
        <span>{t("documents.types")}</span>
        <input
          ref={inputRef}
          id="files"
          type="file"
          multiple
          accept=".pdf,.docx,.txt,.md,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain,text/markdown"
          className="sr-only"
          onChange={(e) => upload(e.target.files)}
        />
      </label>
      {uploads.length > 0 && (
        <ul className="mt-4 space-y-2" aria-label={t("documents.uploads")}>
          {uploads.map((u) => (
            <li key={u.key} className="text-sm" data-testid="upload-row">
              <div className="flex justify-between gap-2">
                <span className="truncate">{u.name}</span>
                <span className={u.state === "error" ? "text-red-700" : "text-slate-600"}>
                  {u.state === "error" ? u.error : u.state === "done" ? t("documents.uploaded") : `${Math.round(u.progress * 100)}%`}
                </span>
              </div>
              <progress className="h-1.5 w-full accent-indigo-600" max={1} value={u.progress} aria-label={t("documents.progressOf", { name: u.name })} />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function StatusCard({ status }: { status: KnowledgeStatus | undefined }) {
  const { t } = useI18n();
  if (!status) return null;
  const items: [string, number][] = [
    [t("documents.total"), status.documents],
    [t("status.ready"), status.by_status.ready ?? 0],
    [t("status.processing"), (status.by_status.processing ?? 0) + (status.by_status.pending ?? 0)],
    [t("status.failed"), status.by_status.failed ?? 0],
    [t("documents.chunks"), status.chunks],
    [t("documents.embeddings"), status.embeddings_created],
  ];
  return (
    <Card title={t("documents.knowledgeBase")}>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6" data-testid="kb-status">
        {items.map(([name, value]) => (
          <div key={name} className="rounded-md bg-slate-50 p-3">
            <dt className="text-xs text-slate-500">{name}</dt>
            <dd className="text-xl font-semibold tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-2 text-xs text-slate-500">{t("documents.model", { model: status.embedding_model, size: size(status.bytes) })}</p>
    </Card>
  );
}

function Search() {
  const { t } = useI18n();
  const errorMessage = useErrorMessage();
  const [q, setQ] = useState("");
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function search(event: FormEvent) {
    event.preventDefault();
    if (!q.trim()) return;
    setBusy(true);
    setError(null);
    try {
      setHits(await api.get("/api/v1/onboarding/search", { query: { q: q.trim(), k: 5 } }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={t("documents.search")}>
      <form onSubmit={search} role="search" className="flex flex-col gap-2 sm:flex-row">
        <label htmlFor="kb-q" className="sr-only">
          {t("documents.search")}
        </label>
        <input id="kb-q" className={input} value={q} onChange={(e) => setQ(e.target.value)} placeholder={t("documents.searchPlaceholder")} maxLength={500} />
        <button type="submit" className={button} disabled={busy || !q.trim()}>
          {t("documents.searchButton")}
        </button>
      </form>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      )}
      {busy && <Loading />}
      {hits !== null && !busy && (
        <div className="mt-4" aria-live="polite">
          {hits.length === 0 ? (
            <Empty>{t("documents.noHits")}</Empty>
          ) : (
            <ol className="space-y-3" data-testid="search-hits">
              {hits.map((hit) => (
                <li key={hit.chunk_id} className="rounded-md border border-slate-200 p-3 text-sm">
                  <p className="mb-1 text-xs text-slate-500">
                    {hit.filename ?? hit.document_id}
                    {hit.page !== null && hit.page !== undefined && ` · ${t("documents.page", { n: hit.page })}`}
                    {hit.heading && ` · ${hit.heading}`} · {t("documents.score")} {hit.score.toFixed(3)}
                  </p>
                  <p className="whitespace-pre-wrap text-slate-800">{hit.content}</p>
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </Card>
  );
}

function DocumentRow({ doc, onChanged }: { doc: DocumentOut; onChanged: () => void }) {
  const { t, date } = useI18n();
  const errorMessage = useErrorMessage();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function act(action: "reprocess" | "delete") {
    if (action === "delete" && !window.confirm(t("documents.confirmDelete", { name: doc.filename }))) return;
    setBusy(true);
    setError(null);
    try {
      if (action === "reprocess") await api.post("/api/v1/onboarding/documents/{document_id}/reprocess", { path: { document_id: doc.id } });
      else await api.delete("/api/v1/onboarding/documents/{document_id}", { path: { document_id: doc.id } });
      onChanged();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="py-3" data-testid="document-row">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="min-w-0">
          <p className="truncate font-medium text-slate-900">{doc.filename}</p>
          <p className="text-xs text-slate-500">
            {size(doc.bytes)}
            {doc.pages ? ` · ${t("documents.pages", { n: doc.pages })}` : ""}
            {doc.status === "ready" ? ` · ${t("documents.chunkCount", { n: doc.chunk_count })}` : ""} · {date(String(doc.created_at))}
          </p>
        </div>
        <div className="flex items-center gap-2">
          <span data-testid="document-status">
            <Badge value={doc.status} text={t(`status.${doc.status}`)} />
          </span>
          {(doc.status === "failed" || doc.status === "ready") && (
            <button type="button" className={buttonSecondary} disabled={busy} onClick={() => void act("reprocess")}>
              {t("documents.reprocess")}
            </button>
          )}
          <button type="button" className={buttonDanger} disabled={busy} onClick={() => void act("delete")} aria-label={t("documents.deleteNamed", { name: doc.filename })}>
            {t("documents.delete")}
          </button>
        </div>
      </div>
      {(doc.status === "processing" || doc.status === "pending") && (
        <progress className="mt-2 h-1.5 w-full accent-indigo-600" max={1} value={doc.progress} aria-label={t("documents.processingOf", { name: doc.filename })} />
      )}
      {doc.status === "failed" && doc.error && (
        <p className="mt-1 text-sm text-red-700" data-testid="document-error">
          {doc.error}
        </p>
      )}
      {error && (
        <p role="alert" className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </li>
  );
}

function Documents() {
  const { t } = useI18n();
  const data = useResource(async () => {
    const [documents, status] = await Promise.all([
      api.get<"/api/v1/onboarding/documents", DocumentOut[]>("/api/v1/onboarding/documents"),
      api.get<"/api/v1/onboarding/status", KnowledgeStatus>("/api/v1/onboarding/status"),
    ]);
    return { documents, status };
  }, []);
  const busy = data.data?.documents.some((d) => d.status === "pending" || d.status === "processing") ?? false;
  // Processing status updates itself: Realtime on `documents` in production, polling locally.
  useLive(data.reload, { live: busy, table: "documents" });
  return (
    <>
      <PageTitle subtitle={t("documents.subtitle")}>{t("documents.title")}</PageTitle>
      <div className="space-y-6">
        <Uploader onUploaded={() => void data.reload()} />
        <StatusCard status={data.data?.status} />
        <Card title={t("documents.list")}>
          {data.loading ? (
            <Loading />
          ) : data.error ? (
            <ErrorBox error={data.error} onRetry={() => void data.reload()} />
          ) : data.data && data.data.documents.length > 0 ? (
            <ul className="divide-y divide-slate-100" aria-live="polite">
              {data.data.documents.map((doc) => (
                <DocumentRow key={doc.id} doc={doc} onChanged={() => void data.reload()} />
              ))}
            </ul>
          ) : (
            <Empty>{t("documents.empty")}</Empty>
          )}
        </Card>
        <Search />
      </div>
    </>
  );
}

export default function DocumentsPage() {
  return <Page role="manager">{() => <Documents />}</Page>;
}
