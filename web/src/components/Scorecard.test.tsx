import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { graded, metric, pending } from "@/test/fixtures";
import { renderWithI18n } from "@/test/render";
import { Scorecard } from "./Scorecard";

describe("Scorecard", () => {
  it("says grading is under way while pending", () => {
    renderWithI18n(<Scorecard feedback={pending()} />);
    expect(screen.getByTestId("feedback-pending")).toHaveTextContent("A avaliação está sendo preparada");
    expect(screen.queryByTestId("scorecard")).toBeNull();
  });

  it("says why grading failed", () => {
    renderWithI18n(<Scorecard feedback={pending({ status: "failed", message: "o modelo não respondeu" })} />);
    expect(screen.getByRole("alert")).toHaveTextContent("Não foi possível avaliar esta sessão. o modelo não respondeu");
  });

  it("shows the overall, each category with its evidence, and the offline label", () => {
    renderWithI18n(<Scorecard feedback={graded()} />);
    expect(screen.getByTestId("overall")).toHaveTextContent("82");
    expect(screen.getByText("Avaliação por regras (sem modelo de linguagem)")).toBeInTheDocument();
    const rapport = screen.getByRole("heading", { name: "Rapport" }).closest("li") as HTMLElement;
    expect(within(rapport).getByText("90")).toBeInTheDocument();
    expect(within(rapport).getByText(/Bom dia, Carla!/)).toBeInTheDocument();
    expect(screen.getByText("Combine um próximo passo")).toBeInTheDocument();
  });

  it("seeks the transcript when an evidence turn is clicked", async () => {
    const onTurn = vi.fn();
    renderWithI18n(<Scorecard feedback={graded()} onTurn={onTurn} />);
    await userEvent.click(screen.getAllByRole("button", { name: "fala #6" })[0] as HTMLElement);
    expect(onTurn).toHaveBeenCalledWith(6);
  });

  it("shows a manager's override beside the model's score", () => {
    const feedback = graded({
      overall: 70,
      model_overall: 82,
      override: { overall: 70, scores: { closing: 40 }, note: "Não fechou", by: "gestor", at: "2026-12-02T10:00:00Z" },
    });
    renderWithI18n(<Scorecard feedback={feedback} />);
    expect(screen.getByText(/Nota ajustada pelo gestor \(modelo: 82\)/)).toHaveTextContent("Não fechou");
  });

  it("explains an insufficient conversation and still shows its metrics", () => {
    const feedback = { ...graded(), status: "insufficient" as const, message: "Só 2 falas do vendedor." };
    renderWithI18n(<Scorecard feedback={feedback as never} />);
    expect(screen.getByText("Só 2 falas do vendedor.")).toBeInTheDocument();
    expect(screen.queryByTestId("overall")).toBeNull();
    expect(screen.getByText("Tempo de fala do vendedor")).toBeInTheDocument();
  });

  it("marks a metric outside its band", () => {
    renderWithI18n(<Scorecard feedback={graded({ metrics: { mode: "text", duration_seconds: 1, turns: null, words: null, questions: null, items: [metric({ value: 80, status: "above" })] } })} />);
    expect(screen.getByText("acima")).toBeInTheDocument();
  });
});
