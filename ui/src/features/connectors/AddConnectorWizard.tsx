import { useEffect, useRef, useState } from "react";

import type { Connector, ConnectorKind, ProviderKind } from "../../bindings";
import { KINDS, kindLabel, providerLabel, providersOf } from "./catalog";
import { ConnectorForm } from "./ConnectorForm";
import type { FormValues } from "./draft";

type Step = "kind" | "provider" | "form";

/** One line on each type of connector, as the seeds introduce them. */
const KIND_DESCRIPTION: Record<ConnectorKind, string> = {
  whatsapp: "WhatsApp messages from an approved WhatsApp sender of your Twilio account.",
  sms: "Text messages to phone numbers through Twilio, Telnyx or 46elks.",
  email: "An SMTP mail server: the backup channel when a message cannot be delivered.",
};

/** One line on each provider: what its connector asks for. */
const PROVIDER_DESCRIPTION: Record<ProviderKind, string> = {
  twilio: "Your Twilio account: its Account SID and Auth Token.",
  telnyx: "Your Telnyx account: its API Key.",
  "46elks": "Your 46elks account: its API Username and API Password.",
  smtp: "Your mail server: its host, port, security and login.",
};

const STEP_TITLE: Record<Step, string> = {
  kind: "Step 1 of 3: Choose the type",
  provider: "Step 2 of 3: Choose the provider",
  form: "Step 3 of 3: Connector details",
};

interface WizardProps {
  orgId: string;
  onCancel: () => void;
  /** After "Create connector": the connector as saved (Active, or Error with its reason). */
  onCreated: (connector: Connector) => void;
}

/**
 * "Add Connector" as seeds 000–002 walk through it: the type (WhatsApp, SMS, Email), then the
 * provider of that type, then the provider's form. Back keeps what was chosen and typed.
 */
export function AddConnectorWizard({ orgId, onCancel, onCreated }: WizardProps) {
  const [step, setStep] = useState<Step>("kind");
  const [kind, setKind] = useState<ConnectorKind | null>(null);
  const [provider, setProvider] = useState<ProviderKind | null>(null);
  // What the form held when the user went Back, so Continue brings it back.
  const [typed, setTyped] = useState<FormValues | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);

  // Focus follows the step (not on opening: the dialog puts it on the first choice then).
  useEffect(() => {
    if (moved.current) heading.current?.focus();
  }, [step]);
  const go = (next: Step) => {
    moved.current = true;
    setStep(next);
  };

  const chooseKind = (next: ConnectorKind) => {
    setKind(next);
    const providers = providersOf(next);
    // A type with one provider has it chosen already; a provider of another type is dropped.
    setProvider((current) => (current && providers.includes(current) ? current : providers.length === 1 ? providers[0] : null));
  };

  return (
    <div className="wizard stack">
      <h3 ref={heading} tabIndex={-1} id="wizard-step-title" className="wizard-step">
        {STEP_TITLE[step]}
      </h3>

      {step === "kind" && (
        <>
          <div role="radiogroup" aria-labelledby="wizard-step-title" className="choice-cards">
            {KINDS.map((entry) => (
              <label key={entry.kind} className={kind === entry.kind ? "choice-card selected" : "choice-card"}>
                <input
                  type="radio"
                  name="connector-kind"
                  value={entry.kind}
                  checked={kind === entry.kind}
                  onChange={() => chooseKind(entry.kind)}
                  aria-labelledby={`kind-${entry.kind}-label`}
                  aria-describedby={`kind-${entry.kind}-description`}
                />
                <span className="choice-label" id={`kind-${entry.kind}-label`}>
                  {entry.label}
                </span>
                <span className="muted" id={`kind-${entry.kind}-description`}>
                  {KIND_DESCRIPTION[entry.kind]}
                </span>
              </label>
            ))}
          </div>
          <div className="actions">
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
            <button type="button" className="primary" disabled={kind === null} onClick={() => go("provider")}>
              Continue
            </button>
          </div>
        </>
      )}

      {step === "provider" && kind && (
        <>
          <p className="muted">
            {providersOf(kind).length === 1
              ? `${kindLabel(kind)} connectors use ${providerLabel(providersOf(kind)[0])}.`
              : `The service that sends your ${kindLabel(kind)} messages.`}
          </p>
          <div role="radiogroup" aria-labelledby="wizard-step-title" className="choice-cards">
            {providersOf(kind).map((option) => (
              <label key={option} className={provider === option ? "choice-card selected" : "choice-card"}>
                <input
                  type="radio"
                  name="connector-provider"
                  value={option}
                  checked={provider === option}
                  onChange={() => setProvider(option)}
                  aria-labelledby={`provider-${option}-label`}
                  aria-describedby={`provider-${option}-description`}
                />
                <span className="choice-label" id={`provider-${option}-label`}>
                  {providerLabel(option)}
                </span>
                <span className="muted" id={`provider-${option}-description`}>
                  {PROVIDER_DESCRIPTION[option]}
                </span>
              </label>
            ))}
          </div>
          <div className="actions">
            <button type="button" onClick={() => go("kind")}>
              Back
            </button>
            <button type="button" className="primary" disabled={provider === null} onClick={() => go("form")}>
              Continue
            </button>
          </div>
        </>
      )}

      {step === "form" && kind && provider && (
        <ConnectorForm
          orgId={orgId}
          choice={{ kind, provider }}
          initialValues={typed ?? undefined}
          onValuesChange={setTyped}
          onBack={() => go("provider")}
          onDone={(saved) => (saved ? onCreated(saved) : onCancel())}
          onCancel={onCancel}
        />
      )}
    </div>
  );
}
