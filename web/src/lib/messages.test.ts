import { describe, expect, it } from "vitest";
import { en, pt } from "./messages";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the words of the app", () => {
  it("has every key in both languages, and nothing extra in English", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(pt).sort());
  });

  it("has no empty text", () => {
    for (const [key, text] of [...Object.entries(pt), ...Object.entries(en)]) expect(text.trim(), key).not.toBe("");
  });

  it("uses the same placeholders in both languages", () => {
    for (const key of Object.keys(pt) as (keyof typeof pt)[]) expect(placeholders(en[key]), key).toEqual(placeholders(pt[key]));
  });
});
