// `webkitdirectory` is not in React's input attribute types; every browser supports it.
import 'react';

declare module 'react' {
  interface InputHTMLAttributes<T> {
    webkitdirectory?: string;
  }
}
