import { IGNORE_OPTIONS } from "./triage-options";

type SelectProps = { id: string; label: string; value: string; onChange: (value: string) => void; disabled?: boolean };

/** How long to ignore an issue (options of IGNORE_OPTIONS), with a screen-reader label. */
export function IgnoreSelect({ id, label, value, onChange, disabled }: SelectProps) {
  return (
    <>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <select id={id} className="compact-select" value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled}>
        {IGNORE_OPTIONS.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </>
  );
}

/** "Nobody" ("") or one of the members, by id. */
export function MemberOptions({ members }: { members: { id: string; name: string }[] }) {
  return (
    <>
      <option value="">Nobody</option>
      {members.map((m) => (
        <option key={m.id} value={m.id}>
          {m.name}
        </option>
      ))}
    </>
  );
}

/** Whom to assign to ("" is nobody), with a screen-reader label. */
export function AssigneeSelect({ id, label, value, onChange, disabled, members }: SelectProps & { members: { id: string; name: string }[] }) {
  return (
    <>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <select id={id} className="compact-select" value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled}>
        <MemberOptions members={members} />
      </select>
    </>
  );
}
