// The heading of a page (h1) with optional actions; takes focus after in-app navigation.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useDocumentTitle } from '../hooks/use-document-title.ts';
import { useLocation } from '../router/history.ts';

type PageHeaderProps = {
  title: string;
  description?: ComponentChildren;
  actions?: ComponentChildren;
};

export function PageHeader({ title, description, actions }: PageHeaderProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  const { navigated } = useLocation();
  useDocumentTitle(title);
  useEffect(() => {
    // Move focus to the new page so keyboard and screen-reader users start from its heading.
    if (navigated) heading.current?.focus();
  }, [navigated]);

  return (
    <header class="page-header">
      <div class="page-header-text">
        <h1 ref={heading} tabIndex={-1} data-testid="page-title">
          {title}
        </h1>
        {description ? <p class="page-description">{description}</p> : null}
      </div>
      {actions ? <div class="page-actions">{actions}</div> : null}
    </header>
  );
}
