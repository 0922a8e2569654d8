/*
 * login.js — placeholder.  Written by the credentials/encryption issue:
 * it logs the resident in, fetches and decrypts their statement, inserts
 * it into div#statement-root, shows #statement-root and #logout, and
 * then fires document.dispatchEvent(new CustomEvent('czynsze:statement-shown')).
 */
