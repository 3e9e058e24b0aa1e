import type { ReactNode } from "react";

/**
 * A list page's search: a plain GET form, so it works before (and without) JavaScript, with the
 * view and the list's own state riding along as hidden fields. `children` follow the button
 * (e.g. a "Clear" link).
 */
export function SearchForm({
  action,
  hidden,
  id,
  label,
  placeholder,
  q,
  maxLength,
  buttonClassName = "button button-small",
  children,
}: {
  action: string;
  hidden: [string, string][];
  id: string;
  label: string;
  placeholder: string;
  q: string | undefined;
  maxLength?: number;
  buttonClassName?: string;
  children?: ReactNode;
}) {
  return (
    <form method="get" action={action} className="search-form" role="search">
      {hidden.map(([key, value]) => (
        <input key={key} type="hidden" name={key} value={value} />
      ))}
      <label className="sr-only" htmlFor={id}>
        {label}
      </label>
      <input id={id} type="search" name="q" defaultValue={q ?? ""} placeholder={placeholder} maxLength={maxLength} />
      <button type="submit" className={buttonClassName}>
        Search
      </button>
      {children}
    </form>
  );
}
