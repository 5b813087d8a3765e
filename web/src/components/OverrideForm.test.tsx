import { act, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, api } from "@/api/client";
import { graded } from "@/test/fixtures";
import { renderWithI18n } from "@/test/render";
import { OverrideForm } from "./OverrideForm";

afterEach(() => vi.useRealTimers());

describe("OverrideForm", () => {
  it("saves the scores and the note as an override", async () => {
    const patch = vi.spyOn(api, "patch").mockResolvedValue(graded({ overall: 55 }));
    const onSaved = vi.fn();
    const user = userEvent.setup();
    renderWithI18n(<OverrideForm feedback={graded()} onSaved={onSaved} />);
    expect(screen.getByRole("button", { name: "Salvar ajuste" })).toBeDisabled();
    await user.clear(screen.getByLabelText("Fechamento"));
    await user.type(screen.getByLabelText("Fechamento"), "40");
    await user.type(screen.getByLabelText("Nota para o vendedor (obrigatória)"), "Faltou fechar");
    await user.click(screen.getByRole("button", { name: "Salvar ajuste" }));
    expect(patch).toHaveBeenCalledWith("/api/v1/feedback/sessions/{session_id}", {
      path: { session_id: graded().session_id },
      body: { scores: { rapport: 90, closing: 40 }, note: "Faltou fechar" },
    });
    expect(onSaved).toHaveBeenCalledWith(expect.objectContaining({ overall: 55 }));
    expect(await screen.findByText("Ajuste salvo.")).toBeInTheDocument();
  });

  it("shows the API's reason when saving fails", async () => {
    vi.spyOn(api, "patch").mockRejectedValue(new ApiError(403, "forbidden", "managers only"));
    const user = userEvent.setup();
    renderWithI18n(<OverrideForm feedback={graded()} onSaved={vi.fn()} />);
    await user.type(screen.getByLabelText("Nota para o vendedor (obrigatória)"), "x");
    await user.click(screen.getByRole("button", { name: "Salvar ajuste" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Você não tem permissão para isso.");
  });

  it("polls a running regrade job (202) until the scorecard is no longer regrading", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    vi.spyOn(api, "post").mockResolvedValue({ session_id: graded().session_id, status: "regrading" } as never);
    const get = vi
      .spyOn(api, "get")
      .mockResolvedValueOnce(graded({ regrading: true }))
      .mockResolvedValueOnce(graded({ regrading: false, overall: 91 }));
    const onSaved = vi.fn();
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    renderWithI18n(<OverrideForm feedback={graded()} onSaved={onSaved} />);
    await user.click(screen.getByRole("button", { name: "Avaliar de novo" }));
    expect(await screen.findByText(/Avaliando de novo com o modelo/)).toBeInTheDocument();
    await act(async () => vi.advanceTimersByTimeAsync(4100));
    expect(get).toHaveBeenCalledTimes(2);
    expect(onSaved).toHaveBeenCalledWith(expect.objectContaining({ overall: 91 }));
    expect(await screen.findByText(/Sessão avaliada de novo/)).toBeInTheDocument();
  });

  it("reads a regrade the grader already finished without waiting", async () => {
    vi.spyOn(api, "post").mockResolvedValue({ session_id: graded().session_id, status: "graded" } as never);
    const get = vi.spyOn(api, "get").mockResolvedValue(graded({ regrade_failed: true }));
    renderWithI18n(<OverrideForm feedback={graded()} onSaved={vi.fn()} />);
    await userEvent.click(screen.getByRole("button", { name: "Avaliar de novo" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("A nova avaliação falhou");
    expect(get).toHaveBeenCalledTimes(1);
  });

  it("is not offered for a scorecard without grades", () => {
    const { container } = renderWithI18n(<OverrideForm feedback={{ ...graded(), status: "insufficient" } as never} onSaved={vi.fn()} />);
    expect(container).toBeEmptyDOMElement();
  });
});
