import type { ComponentType } from 'react';
import { ChatTab } from './ChatTab';
import { ActivityTab } from './ActivityTab';
import { DetailsTab } from './DetailsTab';
import { ConfigTab } from './ConfigTab';
import { EventsTab } from './EventsTab';
import { MemoryTab } from './MemoryTab';
import { SchedulesTab } from './SchedulesTab';

export interface TabProps { id: string }
export interface TabDef { id: string; label: string; component: ComponentType<TabProps> }

/**
 * The side panel's tabs, in order. A feature's tab is one entry here; a feature without routes
 * has no tab at all. Approvals live in the banner.
 */
export const TABS: TabDef[] = [
  { id: 'chat', label: 'Chat', component: ChatTab },
  { id: 'activity', label: 'Activity', component: ActivityTab },
  { id: 'details', label: 'Details', component: DetailsTab },
  { id: 'config', label: 'Config', component: ConfigTab },
  { id: 'memory', label: 'Memory', component: MemoryTab },
  { id: 'schedules', label: 'Schedules', component: SchedulesTab },
  { id: 'events', label: 'Events', component: EventsTab },
];
