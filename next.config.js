/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WebAssembly and data files that must be loaded from node_modules at run time,
  // not bundled; without this every page that touches the database fails.
  serverExternalPackages: ['@electric-sql/pglite'],
  // The browser tests build into their own folder so that a running dev server is left alone.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  // forbidden() renders app/forbidden.tsx for a signed-in person whose role is too low.
  experimental: { authInterrupts: true },
  reactStrictMode: true,
};

export default nextConfig;
