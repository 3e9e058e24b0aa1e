import { expect, test, type Page } from "@playwright/test";
import { startHttpReceiver, type HttpReceiver } from "../lib/testing/receivers";
import { shoot as shootIn } from "./helpers";
import { createAccount, expectSignedInAt } from "./users";

const SHOTS = "/tmp/shots/channels";
const shoot = (page: Page, name: string) => shootIn(page, SHOTS, name);

let healthy: HttpReceiver;
let broken: HttpReceiver;

test.beforeAll(async () => {
  healthy = await startHttpReceiver("ok");
  broken = await startHttpReceiver("fail");
});

test.afterAll(async () => {
  await healthy?.close();
  await broken?.close();
});

async function addWebhook(page: Page, name: string, url: string): Promise<string> {
  const form = page.getByRole("form", { name: "Add a channel" });
  await form.getByLabel("Type").selectOption("webhook");
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("URL").fill(url);
  // Enter submits.
  await form.getByLabel("URL").press("Enter");
  const reveal = page.getByRole("region", { name: `Signing secret for “${name}”` });
  await expect(reveal).toContainText("it won't be shown again");
  const secret = await reveal.getByRole("textbox").inputValue();
  expect(secret).toMatch(/^lsm_whsec_/);
  await reveal.getByRole("button", { name: "Done, I've copied it" }).click();
  await expect(reveal).toHaveCount(0);
  return secret;
}

const row = (page: Page, name: string) => page.getByRole("row").filter({ has: page.getByText(name, { exact: true }) });

test("add a webhook channel, see its secret once, send a test notification; a failing channel is flagged", async ({ page, browser }) => {
  test.setTimeout(90_000);
  await page.goto("/settings/channels");
  await expect(page.getByText("No channels yet.")).toBeVisible();
  await shoot(page, "empty");

  // A webhook channel whose secret the receiver checks signatures with.
  healthy.secret = await addWebhook(page, "Ops webhook", `${healthy.url}?token=not-shown`);
  const ops = row(page, "Ops webhook");
  await expect(ops).toContainText(healthy.url.replace("/hook", ""));
  await expect(page.getByText("not-shown")).toHaveCount(0);
  await expect(page.getByText(healthy.secret)).toHaveCount(0);

  await ops.getByRole("button", { name: "Send test notification" }).click();
  await expect(ops.getByRole("status")).toContainText("Delivered");
  expect(healthy.received).toHaveLength(1);
  expect(healthy.received[0]!.signatureValid).toBe(true);
  expect(healthy.received[0]!.json).toMatchObject({ reason: "test", alert: null });
  await expect(ops.getByText("OK", { exact: true })).toBeVisible();

  // A receiver that answers 500: each test fails; the third failure in a row flags the channel.
  await addWebhook(page, "Broken webhook", broken.url);
  const failing = row(page, "Broken webhook");
  for (let i = 1; i <= 3; i++) {
    await failing.getByRole("button", { name: "Send test notification" }).click();
    await expect(failing.getByRole("status")).toContainText("Failed");
    await expect(failing).toContainText(`${i} failure${i === 1 ? "" : "s"} in a row`);
  }
  await expect(failing.getByText("Failing", { exact: true })).toBeVisible();
  await expect(failing).toContainText("HTTP 500: receiver says no");
  await expect(ops.getByText("Failing", { exact: true })).toHaveCount(0);
  expect(broken.received).toHaveLength(3);

  // An admin can show a webhook's secret again.
  await ops.getByRole("button", { name: "Show secret" }).click();
  await expect(page.getByRole("region", { name: "Signing secret for “Ops webhook”" }).getByRole("textbox")).toHaveValue(healthy.secret);
  await page.getByRole("button", { name: "Done, I've copied it" }).click();

  // An email channel without SMTP_URL says it cannot send.
  const form = page.getByRole("form", { name: "Add a channel" });
  await form.getByLabel("Type").selectOption("email");
  await expect(form).toContainText("Email cannot be sent yet: SMTP_URL is not set.");
  await form.getByLabel("Name").fill("On-call mail");
  await form.getByLabel("Recipients").fill("ops@example.test, dev@example.test");
  await form.getByRole("button", { name: "Add channel" }).click();
  const mail = row(page, "On-call mail");
  await expect(mail).toContainText("ops@example.test, dev@example.test");
  await expect(mail).toContainText("Not sending");
  await expect(page.getByRole("status").filter({ hasText: "Email channels cannot send: SMTP_URL is not set." })).toBeVisible();
  await shoot(page, "channels");

  // Delete, with a confirmation.
  await mail.getByRole("button", { name: "Delete" }).click();
  await mail.getByRole("button", { name: "Yes, delete" }).click();
  await expect(row(page, "On-call mail")).toHaveCount(0);
  await page.reload();
  await expect(row(page, "Ops webhook")).toBeVisible();
  await expect(row(page, "On-call mail")).toHaveCount(0);

  // A viewer sees the list, read-only.
  await page.goto("/settings/members");
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Create invitation link" }).click();
  const link = await page.getByRole("textbox", { name: "Invitation link (viewer)" }).inputValue();
  const viewerContext = await browser.newContext({ storageState: undefined });
  const viewer = await viewerContext.newPage();
  await viewer.goto(new URL(link).pathname);
  await createAccount(viewer, { name: "Cora Channels", email: `channels-viewer-${Date.now()}@example.test`, password: "viewer password 123" });
  await expectSignedInAt(viewer, "/", "Cora Channels");
  await viewer.goto("/settings");
  await viewer.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Channels" }).click();
  await expect(row(viewer, "Broken webhook").getByText("Failing", { exact: true })).toBeVisible();
  await expect(viewer.getByRole("button", { name: "Send test notification" })).toHaveCount(0);
  await expect(viewer.getByRole("form", { name: "Add a channel" })).toHaveCount(0);
  await shoot(viewer, "viewer");
  await viewerContext.close();
});
