import * as Radix from "@radix-ui/react-dialog";
import { useRef, type ReactNode } from "react";

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
}

/**
 * A modal dialog on Radix UI's Dialog: labelled by its title, focus on its first field, Tab kept
 * inside, the page behind hidden from assistive tech and from clicks, Escape closes, and focus goes
 * back to what opened it. It is open while mounted: callers render it conditionally.
 */
export function Dialog({ title, onClose, children }: DialogProps) {
  // Callers open dialogs from plain buttons, not a Radix Trigger, so Radix does not know where to
  // return focus: remember what had it when the dialog took focus.
  const opener = useRef<HTMLElement | null>(null);
  return (
    <Radix.Root open onOpenChange={(open) => open || onClose()}>
      <Radix.Portal>
        <Radix.Overlay className="backdrop">
          <Radix.Content
            className="dialog"
            aria-modal="true"
            // The body says what the dialog is about; there is no separate one-line description.
            aria-describedby={undefined}
            onOpenAutoFocus={() => {
              opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
            }}
            onCloseAutoFocus={(event) => {
              event.preventDefault();
              if (opener.current?.isConnected) opener.current.focus();
            }}
            // A stray click beside a half-filled form must not throw away what was typed.
            onInteractOutside={(event) => event.preventDefault()}
          >
            <Radix.Title>{title}</Radix.Title>
            {children}
          </Radix.Content>
        </Radix.Overlay>
      </Radix.Portal>
    </Radix.Root>
  );
}
