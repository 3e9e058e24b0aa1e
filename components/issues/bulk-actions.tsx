"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { apiFetch } from "@/components/api-client";
import { Alert, useAction } from "@/components/forms";
import { BULK_FORM, ignoreFor } from "./triage-options";
import { AssigneeSelect, IgnoreSelect } from "./triage-selects";

type Member = { id: string; name: string };

function rowBoxes(): HTMLInputElement[] {
  return [...document.querySelectorAll<HTMLInputElement>(`input[type=checkbox][form=${BULK_FORM}][name=issue]`)];
}

/**
 * Bulk actions on the checked rows: resolve, reopen, ignore (with how long) or assign. The
 * row checkboxes are plain inputs owned by this form, so they work from the keyboard.
 */
export function BulkActions({ members }: { members: Member[] }) {
  const router = useRouter();
  const id = useId();
  const [selected, setSelected] = useState(0);
  const [total, setTotal] = useState(0);
  const [action, setAction] = useState("resolve");
  const [ignore, setIgnore] = useState("forever");
  const [assignee, setAssignee] = useState("");
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    const count = () => {
      const boxes = rowBoxes();
      setTotal(boxes.length);
      setSelected(boxes.filter((b) => b.checked).length);
    };
    count();
    document.addEventListener("change", count);
    return () => document.removeEventListener("change", count);
  }, []);

  const { run, pending, error } = useAction(async () => {
    const ids = rowBoxes()
      .filter((b) => b.checked)
      .map((b) => b.value);
    const body =
      action === "ignore"
        ? { ids, action, ignore: ignoreFor(ignore, Date.now()) }
        : action === "assign"
          ? { ids, action, assigneeId: assignee || null }
          : { ids, action };
    const result = await apiFetch<{ changed: number }>("/api/issues/bulk", { method: "POST", json: body });
    for (const box of rowBoxes()) box.checked = false;
    setSelected(0);
    setDone(`${result.changed} of ${ids.length} issues changed.`);
    router.refresh();
  });

  function selectAll(checked: boolean) {
    for (const box of rowBoxes()) box.checked = checked;
    setSelected(checked ? rowBoxes().length : 0);
  }

  return (
    <form
      id={BULK_FORM}
      className="bulk-bar"
      aria-label="Bulk actions"
      onSubmit={(e) => {
        e.preventDefault();
        setDone(null);
        void run();
      }}
    >
      <label className="bulk-all">
        <input type="checkbox" checked={total > 0 && selected === total} onChange={(e) => selectAll(e.target.checked)} disabled={total === 0} />
        <span>{selected > 0 ? `${selected} selected` : "Select all"}</span>
      </label>
      <label htmlFor={`${id}-action`} className="sr-only">
        Action
      </label>
      <select id={`${id}-action`} className="compact-select" value={action} onChange={(e) => setAction(e.target.value)}>
        <option value="resolve">Resolve</option>
        <option value="reopen">Reopen</option>
        <option value="ignore">Ignore</option>
        <option value="assign">Assign</option>
      </select>
      {action === "ignore" ? <IgnoreSelect id={`${id}-ignore`} label="Ignore how long" value={ignore} onChange={setIgnore} /> : null}
      {action === "assign" ? <AssigneeSelect id={`${id}-assignee`} label="Assign to" value={assignee} onChange={setAssignee} members={members} /> : null}
      <button type="submit" className="button button-small button-primary" disabled={pending || selected === 0}>
        {pending ? "Applying…" : "Apply"}
      </button>
      {done ? (
        <span className="muted small" role="status">
          {done}
        </span>
      ) : null}
      {error ? <Alert>{error}</Alert> : null}
    </form>
  );
}
