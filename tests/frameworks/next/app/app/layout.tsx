// create-next-app's root layout, without its Google fonts (fetched at build time, and this test
// runs offline) and its stylesheet.
import type { Metadata } from "next";

export const metadata: Metadata = {
  title: "intune-esim portal",
  description: "A Next.js app using intune-esim",
};

export default function RootLayout({ children }: LayoutProps<"/">) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
