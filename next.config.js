const SECURITY_HEADERS = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Loaded from node_modules at run time, not bundled: PGlite ships WebAssembly and data files;
  // rate-limiter-flexible imports drizzle-orm by a computed name, which a bundle cannot resolve,
  // so drizzle-orm stays one module shared by both.
  serverExternalPackages: ['@electric-sql/pglite', 'rate-limiter-flexible', 'drizzle-orm'],
  // The browser tests build into their own folder so that a running dev server is left alone.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  // forbidden() renders app/forbidden.tsx for a signed-in person whose role is too low.
  experimental: { authInterrupts: true },
  reactStrictMode: true,
  // Pages get their Content-Security-Policy (with a nonce per request) from proxy.ts; API and
  // OTLP answers one that allows nothing.
  async headers() {
    return [
      { source: '/:path*', headers: SECURITY_HEADERS },
      ...['/api/:path*', '/v1/:path*'].map((source) => ({
        source,
        headers: [
          { key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" },
        ],
      })),
    ];
  },
};

export default nextConfig;
