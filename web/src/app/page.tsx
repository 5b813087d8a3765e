"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { Loading } from "@/components/ui";
import { hasRole, useAuth } from "@/lib/auth";

/** The start page sends each person where their week starts: managers to the team, salespeople to practice. */
export default function Home() {
  const { state } = useAuth();
  const router = useRouter();
  useEffect(() => {
    if (state.status === "signed-out") router.replace("/login/");
    if (state.status === "ready") router.replace(hasRole(state.me.role, "manager") ? "/manager/team/" : "/practice/");
  }, [state, router]);
  return (
    <main className="mx-auto max-w-7xl px-4 py-6">
      <Loading />
    </main>
  );
}
