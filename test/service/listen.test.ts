import { createServer } from "node:net";
import { ConfigError } from "../../service/src/config";
import { listenError } from "../../service/src/main";

/** A port that cannot be listened on is a configuration mistake: one sentence naming PORT or HOST, no stack trace. */
describe("listenError", () => {
  const config = { port: 8080, host: "127.0.0.1" };

  it("turns the errors of a real listen on a taken port into the fix", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as { port: number }).port;
    const second = createServer();
    const failure = await new Promise<Error>((resolve) => second.once("error", resolve).listen(port, "127.0.0.1"));
    await new Promise<void>((resolve) => holder.close(() => resolve()));
    const error = listenError(failure, { port, host: "127.0.0.1" });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(`the service cannot start:\n  - PORT ${port} is already in use on 127.0.0.1; stop what holds it or set PORT to a free port`);
  });

  it.each([
    ["EACCES", "PORT 8080 needs privileges on this machine; set PORT to 1024 or above"],
    ["EADDRNOTAVAIL", "HOST 127.0.0.1 is not an address of this machine; set HOST to one (127.0.0.1, 0.0.0.0)"],
  ])("explains %s", (code, problem) => {
    const error = listenError(Object.assign(new Error(code), { code }), config);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([problem]);
  });

  it("leaves any other error as it is", () => {
    const other = Object.assign(new Error("boom"), { code: "EMFILE" });
    expect(listenError(other, config)).toBe(other);
  });
});
