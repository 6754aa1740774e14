// Calls to the Loopsim HTTP API. Failures become ApiError, built from the
// RFC 9457 problem details body when the server sends one.

// Milliseconds between two reads of a journaled command's outcome.
const OUTCOME_POLL_MS = 200;

/** A failed request: the HTTP status (0 when the server is unreachable), the detail and the field it names, or null. */
export class ApiError extends Error {
  constructor(status, detail, field = null) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.field = field;
  }
}

async function problemFrom(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // A proxy or a crashed worker may send HTML or nothing: fall back to the status text.
  }

  const detail = body?.detail || `${response.status} ${response.statusText || "error"} from ${response.url}`;
  const field = body?.field ?? body?.errors?.[0]?.field ?? null;
  return new ApiError(response.status, detail, field);
}

// The API token is kept in this tab's session storage only, so closing the
// tab removes it and pages of other origins cannot read it.
const TOKEN_KEY = "loopsim.apiToken";

/** Remember the bearer token that state-changing requests send; an empty string removes it. */
export function setApiToken(token) {
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

async function request(method, url, body) {
  const options = { method, headers: { Accept: "application/json" } };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (method !== "GET" && token) {
    options.headers.Authorization = `Bearer ${token}`;
  }
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }

  let response;
  try {
    response = await fetch(url, options);
  } catch (error) {
    throw new ApiError(0, `failed to reach the server (${error.message}). Check that Loopsim is running.`);
  }

  if (!response.ok) {
    throw await problemFrom(response);
  }
  return response;
}

/** GET `url` and return its JSON body. */
export async function getJson(url) {
  const response = await request("GET", url);
  return response.json();
}

/** Send a control request and return its status code, JSON body and the Location of the journaled command. */
export async function sendControl(method, url, body) {
  const response = await request(method, url, body);
  return { status: response.status, body: await response.json(), location: response.headers.get("Location") };
}

/** Read a journaled command until the runner applied or rejected it, and return it, or null after `timeoutMs`. */
export async function waitForOutcome(location, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const entry = await getJson(location);
    if (entry.status !== "pending") {
      return entry;
    }
    await new Promise((resolve) => setTimeout(resolve, OUTCOME_POLL_MS));
  }
  return null;
}
