import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef, type CSSProperties, type ReactNode } from "react";

/** Rows rendered beyond each edge of the view, so a fast scroll shows no blank band. */
const OVERSCAN = 6;

interface PagedRowsProps<T> {
  /** What the list is, for assistive technology (and tests). */
  label: string;
  rows: readonly T[];
  rowKey: (row: T) => string | number;
  rowHeight: number;
  /** The most rows the box shows at once; it scrolls beyond that. */
  viewRows: number;
  /** The next page exists and is fetched once the user scrolls near the end. */
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
  /** One row, positioned by `style` (absolute, at its place in the list). */
  renderRow: (row: T, style: CSSProperties, index: number) => ReactNode;
  /** The `data-testid` of the line that says how much is loaded. */
  statusTestId: string;
  /** A row of column headers, kept in view above the rows (inside the table, as ARIA wants it). */
  header?: ReactNode;
}

/**
 * A long list that the backend serves a page at a time: only the rows in view are rendered (TanStack
 * Virtual, as the imported messages), and the next page is asked for as the user scrolls near the
 * end of what is loaded, so the list grows as it is read instead of behind an "Older" button.
 */
export function PagedRows<T>({
  label,
  rows,
  rowKey,
  rowHeight,
  viewRows,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
  renderRow,
  statusTestId,
  header,
}: PagedRowsProps<T>) {
  const viewport = useRef<HTMLDivElement>(null);
  // TanStack Virtual keeps its own state, which the React Compiler cannot see (as in NumbersSection).
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => viewport.current,
    estimateSize: () => rowHeight,
    overscan: OVERSCAN,
    getItemKey: (index) => rowKey(rows[index]),
  });
  const items = virtual.getVirtualItems();
  const lastRendered = items.length > 0 ? items[items.length - 1].index : -1;
  const nearEnd = rows.length > 0 && lastRendered >= rows.length - 1 - OVERSCAN;

  useEffect(() => {
    if (nearEnd && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [nearEnd, hasNextPage, isFetchingNextPage, fetchNextPage]);

  return (
    <>
      <div
        ref={viewport}
        className="virtual-viewport"
        role="table"
        aria-label={label}
        aria-rowcount={hasNextPage ? -1 : rows.length}
        aria-busy={isFetchingNextPage}
        style={{ height: (Math.min(Math.max(rows.length, 1), viewRows) + (header ? 1 : 0)) * rowHeight + 2 }}
      >
        {header && (
          <div role="rowgroup" className="sticky-header" style={{ height: rowHeight }}>
            {header}
          </div>
        )}
        <div style={{ height: virtual.getTotalSize(), position: "relative" }}>
          {items.map((item) =>
            renderRow(
              rows[item.index],
              { position: "absolute", top: 0, left: 0, right: 0, height: rowHeight, transform: `translateY(${item.start}px)` },
              item.index,
            ),
          )}
        </div>
      </div>
      <p className="muted small" role="status" data-testid={statusTestId}>
        {isFetchingNextPage
          ? `${rows.length} loaded, loading more…`
          : hasNextPage
            ? `${rows.length} loaded; scroll down for older ones.`
            : `${rows.length} in all.`}
      </p>
    </>
  );
}
