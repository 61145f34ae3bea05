import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { ProviderFailure as Failure } from "../bindings";
import { CommandFailure } from "../lib/api";
import { FailureNotice, ProviderFailure } from "./ProviderFailure";

const twilio: Failure = {
  provider: "twilio",
  kind: "INVALID_CREDENTIALS",
  providerCode: "20003",
  httpStatus: 401,
  message: "Authenticate",
  cause: "Twilio did not accept the credentials.",
  fix: "Copy the Auth Token again from the Twilio console.",
  docsUrl: "https://www.twilio.com/docs/api/errors/20003",
};

describe("ProviderFailure", () => {
  it("shows the cause, the fix, the kind and the provider code linking to its page", () => {
    render(<ProviderFailure failure={twilio} />);
    expect(screen.getByText("Twilio did not accept the credentials.")).toBeInTheDocument();
    expect(screen.getByText("Copy the Auth Token again from the Twilio console.")).toBeInTheDocument();
    expect(screen.getByText("INVALID_CREDENTIALS")).toBeInTheDocument();
    const link = screen.getByRole("link", { name: "Twilio 20003" });
    expect(link).toHaveAttribute("href", "https://www.twilio.com/docs/api/errors/20003");
    expect(link).toHaveAttribute("rel", "noopener noreferrer");
    expect(screen.getByTestId("provider-failure")).toHaveTextContent("HTTP 401");
    expect(screen.getByTestId("provider-failure")).toHaveTextContent("Twilio said: “Authenticate”");
  });

  it("shows a code without a page as text, and no code at all for 46elks", () => {
    const { rerender } = render(<ProviderFailure failure={{ ...twilio, provider: "telnyx", providerCode: "10009", docsUrl: null }} />);
    expect(screen.getByText("Telnyx 10009")).toBeInTheDocument();
    expect(screen.queryByRole("link")).not.toBeInTheDocument();
    rerender(
      <ProviderFailure
        failure={{ ...twilio, provider: "46elks", kind: "UNREACHABLE", providerCode: null, httpStatus: null, docsUrl: null, message: "" }}
      />,
    );
    expect(screen.getByTestId("provider-failure")).toHaveTextContent("UNREACHABLE");
    expect(screen.getByTestId("provider-failure")).not.toHaveTextContent("HTTP");
    expect(screen.queryByRole("link")).not.toBeInTheDocument();
  });
});

describe("FailureNotice", () => {
  it("shows a provider failure typed, and any other failure as its message", () => {
    const provider = new CommandFailure({ code: "INVALID_CREDENTIALS", message: "summary", fields: [], provider: twilio });
    const { rerender } = render(<FailureNotice error={provider} lead="The check did not run:" />);
    expect(screen.getByRole("alert")).toHaveTextContent("The check did not run:");
    expect(screen.getByRole("link", { name: "Twilio 20003" })).toBeInTheDocument();
    expect(screen.queryByText("summary")).not.toBeInTheDocument();

    const plain = new CommandFailure({ code: "not_found", message: "Connector 'x' was not found", fields: [], provider: null });
    rerender(<FailureNotice error={plain} lead="Could not remove it:" />);
    expect(screen.getByRole("alert")).toHaveTextContent("Could not remove it: Connector 'x' was not found");
    expect(screen.queryByTestId("provider-failure")).not.toBeInTheDocument();
  });
});
