/**
 * Shared props for lucide-react icons: drawn as SVG, so they show on every system (Unicode
 * symbols such as ⏮ render as empty boxes where the font lacks them), sized to the text.
 */
export const ICON = { size: 14, strokeWidth: 2, 'aria-hidden': true, className: 'icon' } as const;
