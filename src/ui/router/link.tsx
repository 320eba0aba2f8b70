// An <a> that navigates through the History API on a plain left click.
import type { ComponentChildren, TargetedMouseEvent } from 'preact';
import { navigate } from './history.ts';

type LinkProps = {
  href: string;
  children?: ComponentChildren;
  class?: string;
  title?: string;
  'aria-current'?: 'page' | undefined;
  'data-testid'?: string;
  onClick?: () => void;
};

export function Link({ href, onClick, children, ...rest }: LinkProps) {
  const handleClick = (event: TargetedMouseEvent<HTMLAnchorElement>) => {
    onClick?.();
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={handleClick} {...rest}>
      {children}
    </a>
  );
}
