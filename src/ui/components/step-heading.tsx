// Heading of one step of a multi-step flow; takes focus when it appears so keyboard and screen-reader users follow along.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export type HeadingLevel = 2 | 3;

export function StepHeading({ level, children }: { level: HeadingLevel; children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return level === 2 ? (
    <h2 ref={heading} tabIndex={-1}>
      {children}
    </h2>
  ) : (
    <h3 ref={heading} tabIndex={-1}>
      {children}
    </h3>
  );
}
