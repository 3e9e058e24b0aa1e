"use client";

import { useRouter } from "next/navigation";
import { useId } from "react";
import { apiFetch } from "@/components/api-client";
import { ApiForm, formText } from "@/components/forms";
import { MAX_COMMENT_LENGTH } from "@/lib/issues/limits";

/** Adds a comment to the issue's thread, then re-reads the page. */
export function CommentForm({ issueId }: { issueId: string }) {
  const router = useRouter();
  const id = useId();
  return (
    <ApiForm
      aria-label="Add a comment"
      submitLabel="Comment"
      pendingLabel="Posting…"
      resetOnSuccess
      onSubmit={async (data) => {
        await apiFetch(`/api/issues/${issueId}/comments`, { method: "POST", json: { body: formText(data, "body") } });
        router.refresh();
      }}
    >
      <div className="field">
        <label htmlFor={id}>Comment</label>
        <textarea id={id} name="body" rows={3} maxLength={MAX_COMMENT_LENGTH} required />
      </div>
    </ApiForm>
  );
}
