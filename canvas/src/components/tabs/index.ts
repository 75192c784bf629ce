import type { ComponentType } from 'react';
import { ChatTab } from './ChatTab';
import { ActivityTab } from './ActivityTab';
import { DetailsTab } from './DetailsTab';
import { ConfigTab } from './ConfigTab';
import { EventsTab } from './EventsTab';

export interface TabProps { id: string }
export interface TabDef { id: string; label: string; component: ComponentType<TabProps> }

/**
 * The side panel's tabs, in order. A feature's tab is one entry here (memory, schedules and
 * approvals join when their routes exist); a feature without routes has no tab at all.
 */
export const TABS: TabDef[] = [
  { id: 'chat', label: 'Chat', component: ChatTab },
  { id: 'activity', label: 'Activity', component: ActivityTab },
  { id: 'details', label: 'Details', component: DetailsTab },
  { id: 'config', label: 'Config', component: ConfigTab },
  { id: 'events', label: 'Events', component: EventsTab },
];
