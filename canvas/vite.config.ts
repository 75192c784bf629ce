import { defineConfig } from 'vitest/config';

// React without @vitejs/plugin-react: esbuild's automatic JSX runtime is enough for a production build.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  build: {
    // straight into the Maven module's classes: the jar serves them from the classpath folder /canvas
    outDir: 'target/classes/canvas',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      // react-query and xyflow mark modules "use client" (for server components): meaningless in this bundle
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  test: { include: ['src/**/*.test.ts'] },
});
