import { ok, type Operations, type Settings } from '../../../preload/contract';
import type { ServiceContext } from './context';

/** The console's settings (language, theme). */
export function settingsOperations(ctx: ServiceContext): Pick<Operations, 'settings.get' | 'settings.set'> {
  return {
    async 'settings.get'() {
      return ok(ctx.store.data.settings);
    },
    async 'settings.set'(input) {
      const result = await ctx.store.update((draft) => {
        const settings: Settings = { ...draft.settings, ...input };
        draft.settings = settings;
        return ok(settings);
      });
      if (result.ok) ctx.events.emit('changes', { kind: 'settings', action: 'updated', id: 'settings' });
      return result;
    },
  };
}
