import type { NextConfig } from "next";

// A static export: `dojo dev` serves web/out on the API's own origin, production serves it from
// any static host. No server runtime, so pages read ids from query parameters.
const config: NextConfig = {
  output: "export",
  trailingSlash: true,
  images: { unoptimized: true },
  reactStrictMode: true,
};

export default config;
