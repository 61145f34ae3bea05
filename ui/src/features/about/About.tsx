import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { commands, type UpdateCheck } from "../../bindings";
import { Dialog } from "../../components/Dialog";
import { failureMessage, unwrap } from "../../lib/api";
import { queryKeys } from "../../lib/queryKeys";

/** The sidebar's "About Switchboard": the version, signed updates, and whether to look for them on launch. */
export function About() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="ghost" onClick={() => setOpen(true)}>
        About Switchboard
      </button>
      {open && (
        <Dialog title="About Switchboard" onClose={() => setOpen(false)}>
          <AboutBody onClose={() => setOpen(false)} />
        </Dialog>
      )}
    </>
  );
}

function AboutBody({ onClose }: { onClose: () => void }) {
  const client = useQueryClient();
  const settings = useQuery({
    queryKey: queryKeys.updates,
    queryFn: () => unwrap(commands.updatesSettings()),
  });
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => unwrap(commands.updatesSetCheckOnLaunch(enabled)),
    onSuccess: (data) => client.setQueryData(queryKeys.updates, data),
  });
  const check = useMutation({ mutationFn: () => unwrap(commands.updatesCheck()) });
  const install = useMutation({ mutationFn: () => unwrap(commands.updatesInstall()) });

  if (settings.isPending) return <p className="muted">Loading…</p>;
  if (settings.isError)
    return (
      <p className="form-error" role="alert">
        Could not read the update settings: {failureMessage(settings.error)}
      </p>
    );
  const { currentVersion, checkOnLaunch, disabledByEnvironment, lastCheck } = settings.data;
  const result: UpdateCheck | null = check.data ?? lastCheck;
  return (
    <div className="about">
      <p>
        Switchboard <span data-testid="about-version">{currentVersion}</span>
      </p>
      <h3>Updates</h3>
      <p className="muted">Updates come from Switchboard&apos;s releases and are installed only when their signature is valid.</p>
      {disabledByEnvironment && (
        <p className="muted" data-testid="updates-disabled">
          Update checks are turned off on this machine (SWITCHBOARD_UPDATES=off).
        </p>
      )}
      <label className="checkbox">
        <input
          type="checkbox"
          name="updates.checkOnLaunch"
          checked={checkOnLaunch}
          disabled={toggle.isPending}
          onChange={(event) => toggle.mutate(event.target.checked)}
        />{" "}
        Check for updates when Switchboard starts
      </label>
      {toggle.isError && (
        <p className="form-error" role="alert">
          Could not save the setting: {failureMessage(toggle.error)}
        </p>
      )}
      <p>
        <button type="button" disabled={disabledByEnvironment || check.isPending} onClick={() => check.mutate()}>
          {check.isPending ? "Checking for updates…" : "Check for updates"}
        </button>
      </p>
      {check.isError && (
        <p className="form-error" role="alert">
          {failureMessage(check.error)}
        </p>
      )}
      {result && !result.available && <p role="status">Switchboard is up to date.</p>}
      {result?.available && (
        <div role="status">
          <p>
            Version {result.available.version} is available{result.available.date ? ` (${result.available.date})` : ""}.
          </p>
          {result.available.notes && <p className="muted">{result.available.notes}</p>}
          <button type="button" disabled={install.isPending} onClick={() => install.mutate()}>
            {install.isPending ? "Installing…" : "Install and restart"}
          </button>
          {install.isError && (
            <p className="form-error" role="alert">
              {failureMessage(install.error)}
            </p>
          )}
        </div>
      )}
      <p>
        <button type="button" className="ghost" onClick={onClose}>
          Close
        </button>
      </p>
    </div>
  );
}
