/** A staff member's browser, as far as the API sees it: a cookie jar, the CSRF token, and every body it was sent. */
export interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export class ApiClient {
  cookie = "";
  csrf = "";

  constructor(
    readonly baseUrl: string,
    /** Every response body any client received, for the tests that look for secrets. */
    private readonly bodies: string[],
  ) {}

  async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrf && method !== "GET" ? { "x-csrf-token": this.csrf } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const setCookie = res.headers.get("set-cookie");
    if (setCookie) {
      const pair = setCookie.split(";")[0]!;
      this.cookie = pair.endsWith("=") ? "" : pair;
    }
    // A stream (Server-Sent Events) never ends by itself: its first event is the answer.
    const text = res.headers.get("content-type")?.startsWith("text/event-stream") ? await firstChunk(res) : await res.text();
    this.bodies.push(text, setCookie ?? "");
    let parsed: unknown = text;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  /** Signs in; the client then carries the cookie and the CSRF token. */
  async login(name: string, password: string): Promise<Answer> {
    const answer = await this.send("POST", "/api/session", { name, password });
    if (answer.status === 200) this.csrf = (answer.body as { csrfToken: string }).csrfToken;
    return answer;
  }
}

async function firstChunk(res: Response): Promise<string> {
  const reader = res.body!.getReader();
  const { value } = await reader.read();
  await reader.cancel();
  return new TextDecoder().decode(value);
}
