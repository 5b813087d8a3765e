"""Every text a manager reads about a document, in pt-BR and en-US, under a stable code.

A failure is stored as its code (`documents.error_code`, for clients) plus the message in the
company's locale (`documents.error`, shown as is). Codes never change meaning; the wording may.
Templates take named parameters; `{kind}` names a file type from `KINDS`, translated as well.
"""

from __future__ import annotations

import uuid
from typing import Literal

from dojo.db import Connection
from onboarding.store import company

Locale = Literal["pt-BR", "en-US"]
LOCALES: tuple[Locale, ...] = ("pt-BR", "en-US")

# code: (pt-BR, en-US)
CATALOG: dict[str, tuple[str, str]] = {
    # why a file cannot become text (extract.py)
    "empty_file": (
        "O arquivo está vazio (0 bytes): envie um arquivo com conteúdo.",
        "the file is empty (0 bytes): upload a file with content",
    ),
    "old_office_file": (
        "Este é um arquivo antigo do Office (.doc/.xls/.ppt): salve-o como .docx ou PDF e envie"
        " de novo.",
        "this is an old Office file (.doc/.xls/.ppt): save it as .docx or PDF and upload again",
    ),
    "unsupported_type": (
        "Tipo de arquivo não aceito: este arquivo é {kind}. Envie arquivos PDF, Word (.docx),"
        " texto (.txt) ou Markdown (.md).",
        "unsupported file type: this is {kind}. Upload PDF, Word (.docx), text or Markdown files",
    ),
    "damaged_docx": (
        "O documento Word está danificado: abra-o no Word, salve de novo e envie o novo arquivo.",
        "the Word document is damaged: open it in Word, save it again and upload it",
    ),
    "zip_bomb": (
        "O documento Word ocupa mais de {max_mb} MB quando aberto e foi recusado por segurança."
        " Remova imagens ou anexos grandes e envie de novo.",
        "the Word document expands to more than {max_mb} MB when opened; it was refused as unsafe",
    ),
    "damaged_pdf": (
        "O PDF está danificado ou incompleto: exporte-o de novo e envie o novo arquivo.",
        "the PDF is damaged or incomplete: export it again and upload the new file",
    ),
    "encrypted_pdf": (
        "O PDF está protegido por senha: remova a proteção e envie de novo.",
        "the PDF is protected by a password: remove the protection and upload it again",
    ),
    "too_many_pages": (
        "O PDF tem {pages} páginas e o limite é {max_pages}. Divida-o em partes menores e envie"
        " as partes.",
        "the PDF has {pages} pages; the limit is {max_pages}. Split it and upload the parts",
    ),
    "scanned_pdf": (
        "Não há texto para extrair: o PDF parece conter só imagens digitalizadas. Envie um PDF"
        " com texto selecionável (passe um OCR antes) ou o documento original.",
        "no extractable text: the PDF seems to be scanned images. Upload a PDF with selectable"
        " text (run OCR first) or the original document",
    ),
    "no_text": (
        "O arquivo não tem texto que o treinamento possa usar: envie um arquivo com conteúdo"
        " escrito.",
        "the file has no text to learn from",
    ),
    # the file itself (upload, storage)
    "file_too_large": (
        "O arquivo passa do limite de {max_mb} MB: divida-o ou comprima as imagens e envie de"
        " novo.",
        "the file is over the {max_mb} MB limit: split it or compress its images and upload again",
    ),
    "file_missing": (
        "O arquivo não foi encontrado no armazenamento: envie-o de novo.",
        "the file is missing from storage; upload it again",
    ),
    "larger_than_announced": (
        "O arquivo enviado é maior do que o anunciado no início do envio ({declared} bytes):"
        " envie-o de novo.",
        "the uploaded file is larger than announced when the upload started ({declared} bytes);"
        " upload it again",
    ),
    "store_failed": (
        "Não foi possível guardar o arquivo: envie-o de novo.",
        "the file could not be stored; upload it again",
    ),
    "upload_abandoned": (
        "O envio do arquivo não foi concluído: envie-o de novo.",
        "the upload was never completed; upload the file again",
    ),
    "storage_try_again": (
        "O armazenamento de arquivos está indisponível no momento: tente de novo em instantes.",
        "file storage is unavailable right now; try again shortly",
    ),
    # passing outages and bugs: the pipeline adds whether it retries (`will_retry`, `gave_up`)
    "storage_unavailable": (
        "O armazenamento de arquivos está indisponível no momento",
        "file storage is unavailable right now",
    ),
    "embeddings_unavailable": (
        "O serviço que indexa o conteúdo está indisponível no momento",
        "the embeddings service is unavailable right now",
    ),
    "embeddings_failed": (
        "O serviço que indexa o conteúdo recusou este arquivo. Tente reprocessar mais tarde; se"
        " o erro continuar, fale com o suporte.",
        "the embeddings service refused this file. Reprocess it later; if it keeps failing,"
        " contact support",
    ),
    "unexpected_error": (
        "O processamento parou por um erro inesperado",
        "processing stopped on an unexpected error",
    ),
    "will_retry": (
        "{message}. Vamos tentar de novo automaticamente.",
        "{message}; it will be retried automatically",
    ),
    "gave_up": (
        "{message}. Desistimos após {attempts} tentativas: use “Reprocessar” para tentar de novo.",
        "{message} (gave up after {attempts} attempts; reprocess to try again)",
    ),
    # answers of the documents API
    "too_many_files": (
        "Envie no máximo {max_files} arquivos por vez.",
        "upload at most {max_files} files at a time",
    ),
    "upload_received": (
        "{accepted} de {total} arquivo(s) recebido(s); o processamento começou.",
        "{accepted} of {total} file(s) received; processing has started",
    ),
    "document_not_found": ("Documento não encontrado.", "document not found"),
    "document_busy": (
        "O documento está sendo processado agora; tente de novo quando terminar.",
        "the document is being processed right now; try again when it finishes",
    ),
    "upload_incomplete": (
        "O envio do arquivo nunca foi concluído: envie-o de novo.",
        "the file never finished uploading; upload it again",
    ),
}

# `{kind}` values: what a refused file turned out to be
KINDS: dict[str, tuple[str, str]] = {
    "png": ("uma imagem PNG", "a PNG image"),
    "jpeg": ("uma imagem JPEG", "a JPEG image"),
    "gif": ("uma imagem GIF", "a GIF image"),
    "tiff": ("uma imagem TIFF", "a TIFF image"),
    "bmp": ("uma imagem BMP", "a BMP image"),
    "webp": ("uma imagem WebP", "a WebP image"),
    "archive": ("um arquivo compactado", "a compressed archive"),
    "binary": ("um arquivo binário", "a binary file"),
    "zip": ("um arquivo ZIP", "a ZIP archive"),
    "office_other": (
        "um arquivo do Office que não é Word (por exemplo, Excel ou PowerPoint)",
        "an Office file other than Word (e.g. Excel or PowerPoint)",
    ),
}


def locale_of(value: str | None) -> Locale:
    """A supported locale: en-US when asked for, else the product's default, pt-BR."""
    return "en-US" if value == "en-US" else "pt-BR"


def text(code: str, locale: str | None, **params: object) -> str:
    """The message for `code` in `locale`, with its parameters filled in."""
    index = LOCALES.index(locale_of(locale))
    if "kind" in params:
        params["kind"] = KINDS[str(params["kind"])][index]
    return CATALOG[code][index].format(**params)


def every_locale(code: str, **params: object) -> dict[str, str]:
    """The message for `code` in each locale (for SQL that picks by the company's locale)."""
    return {locale: text(code, locale, **params) for locale in LOCALES}


def company_locale(conn: Connection, company_id: uuid.UUID | None) -> Locale:
    """The company's locale (pt-BR when the company cannot be read)."""
    return locale_of(company.company_locale(conn, company_id))


class DocumentProblem(Exception):
    """A failure about a document, as a code and parameters; worded per reader's locale."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def text(self, locale: str | None) -> str:
        """The message in `locale`."""
        return text(self.code, locale, **self.params)
