// GET, POST /api/auth/* (Better Auth: sign-in, sign-out, sessions)
import { handleAuthRequest } from "@/lib/auth/handler";

export const GET = handleAuthRequest;
export const POST = handleAuthRequest;
