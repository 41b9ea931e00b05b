/** The portal's pages, sessions, sign-in and static assets. */
package dev.berth.portal.internal;
