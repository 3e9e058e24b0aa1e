/** A comment is at most this many characters (the database checks it too). */
export const MAX_COMMENT_LENGTH = 2000;
