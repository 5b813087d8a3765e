import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { renderWithI18n } from "@/test/render";
import PageError from "./error";

describe("the page error boundary", () => {
  it("explains, offers a retry and logs the error with its digest", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const reset = vi.fn();
    const error = Object.assign(new Error("boom"), { digest: "d-123" });
    renderWithI18n(<PageError error={error} reset={reset} />);
    expect(screen.getByTestId("page-error")).toHaveTextContent("Algo deu errado nesta página");
    expect(screen.getByText("d-123")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Tentar de novo" }));
    expect(reset).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith("page error", expect.objectContaining({ message: "boom", digest: "d-123" }));
  });
});
