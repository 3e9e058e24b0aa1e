"use client";

import { apiFetch } from "../api-client";
import { ConfirmButton } from "../confirm-button";
import { NAVIGATING } from "../forms";

/** For admins on a visitor's page: erases the visitor's data on this website, then goes back to the list. */
export function EraseVisitorButton({ websiteId, visitorId, listHref }: { websiteId: string; visitorId: string; listHref: string }) {
  return (
    <ConfirmButton
      label="Erase this visitor's data"
      question="Erase every event and the profile of this visitor on this website? It cannot be undone."
      confirmLabel="Yes, erase"
      pendingLabel="Erasing…"
      onConfirm={async () => {
        await apiFetch("/api/visitors/erase", { method: "POST", json: { websiteId, visitorId } });
        window.location.assign(listHref);
        return NAVIGATING;
      }}
    />
  );
}
