import { describe, expect, it } from 'vitest';
import { LEAVE_BUTTONS, LEAVE_CANCEL, LeavePlan } from './leave';

describe('leaving the window with unsaved changes', () => {
  it('offers Save beside Discard and Cancel', () => {
    expect(LEAVE_BUTTONS).toEqual(['Save', 'Discard changes', 'Cancel']);
    expect(LEAVE_BUTTONS[LEAVE_CANCEL]).toBe('Cancel');
  });

  it('Save keeps the window, asks the page to save, then closes it once the save landed', () => {
    const p = new LeavePlan();
    p.closeAsked();
    expect(p.letGo()).toBe(false);
    expect(p.answer(0)).toEqual({ unload: false, save: true });
    expect(p.saved()).toBe('close');
    // The close that follows is let through without asking again, once.
    expect(p.letGo()).toBe(true);
    expect(p.letGo()).toBe(false);
    // A later, unrelated save leaves nothing.
    expect(p.saved()).toBeNull();
  });

  it('Save during a reload reloads after the save; Discard leaves at once; Cancel forgets the plan', () => {
    const p = new LeavePlan();
    expect(p.answer(0)).toEqual({ unload: false, save: true });
    expect(p.saved()).toBe('reload');
    expect(p.letGo()).toBe(true);
    p.closeAsked();
    expect(p.answer(1)).toEqual({ unload: true, save: false });
    p.closeAsked();
    expect(p.answer(0).save).toBe(true);
    p.closeAsked();
    expect(p.answer(LEAVE_CANCEL)).toEqual({ unload: false, save: false });
    expect(p.saved()).toBeNull();
  });
});
