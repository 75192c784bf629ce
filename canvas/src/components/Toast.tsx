import { useEffect } from 'react';
import { useOrg } from '../store';

export function Toast() {
  const toast = useOrg((s) => s.toast);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => useOrg.setState({ toast: null }), toast.error ? 8000 : 4000);
    return () => clearTimeout(t);
  }, [toast]);
  if (!toast) return null;
  return (
    <div className={`toast${toast.error ? ' toast-error' : ''}`} role={toast.error ? 'alert' : 'status'} data-testid="toast">
      {toast.text}
      <button className="link" onClick={() => useOrg.setState({ toast: null })} aria-label="Dismiss">×</button>
    </div>
  );
}
