"use client";

import { useCallback, useEffect, useState } from "react";
import { ApiRequestError, apiFetch, errorMessage } from "./api-client";

/**
 * GETs `path` from the JSON API when the component mounts. `setData` lets the page apply
 * the result of its own changes without a reload; `reload` fetches again. `error` is the
 * API's message and `status` its HTTP status when the request failed.
 */
export function useApiData<T>(path: string) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    apiFetch<T>(path, { signal: controller.signal })
      .then((body) => {
        setData(body);
        setError(null);
        setStatus(null);
      })
      .catch((caught: unknown) => {
        if (controller.signal.aborted) return;
        setError(errorMessage(caught));
        setStatus(caught instanceof ApiRequestError ? caught.status : null);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [path, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { data, setData, error, status, loading, reload };
}
